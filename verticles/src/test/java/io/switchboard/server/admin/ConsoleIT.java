package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator's console in headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, named by {@code CHROMIUM} and {@code CHROMEDRIVER} when elsewhere) against a
 * real server with an admin token and real WebSocket clients. Every request the page makes is
 * delayed by {@link #LATENCY}, so the page is slow to load and to answer: the test waits for each
 * outcome with a deadline, never for a fixed time. Screenshots go to {@code
 * target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT extends ServerTestBase {

  private static final String TOKEN = "console-admin-token";
  private static final Duration LATENCY = Duration.ofMillis(150);
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  private WebDriver browser;
  private WebDriverWait wait;

  /** A screenshot of the page as it was when a test failed, beside the steps' own. */
  @RegisterExtension
  final TestWatcher failureShots =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (browser != null) {
            screenshot("failed-" + context.getRequiredTestMethod().getName());
          }
        }
      };

  @Override
  protected JsonObject config() {
    adminToken = TOKEN;
    // The page holds two streams at most (its figures and one tail): the cap proves it lets go.
    return new JsonObject().put("admin", new JsonObject().put("token", TOKEN).put("maxStreams", 2));
  }

  @BeforeAll
  void startBrowser() throws IOException {
    Files.createDirectories(SCREENSHOTS);
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    String driver = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");
    assertThat(Path.of(chromium)).as("chromium (apt-get install chromium)").isExecutable();
    assertThat(Path.of(driver)).as("chromedriver (apt-get install chromium-driver)").isExecutable();
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(chromium)
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,2200");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(Path.of(driver).toFile()).build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
    slow.setLatency(LATENCY);
    chrome.setNetworkConditions(slow);
    browser = chrome;
    wait = new WebDriverWait(browser, DEADLINE);
  }

  @AfterAll
  void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  @Order(1)
  void thePageAsksForTheTokenAndLoadsWithIt() {
    browser.get(consoleUrl());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
    assertThat(browser.findElement(By.id("console")).isDisplayed()).isFalse();
    screenshot("1-login");

    login("not-the-token");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "refused"));
    login(TOKEN);

    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("console")));
    wait.until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "live"));
    // The figures come from the server's own event stream, the node list from the API.
    wait.until(d -> !text("fig-uptime").equals("–"));
    wait.until(d -> text("nodes").contains("(this one)"));
    // The footer shows the version /health reports (to a caller with the token).
    String version = adminGet("/health").bodyAsJsonObject().getString("version");
    assertThat(version).isNotBlank();
    wait.until(ExpectedConditions.textToBe(By.id("version"), version));
    screenshot("2-loaded");
  }

  @Test
  @Order(2)
  void theFiguresFollowClientsThatConnectAndPublish() {
    String channel = channel("busy");
    WsClient[] clients = {connect(), connect(), connect()};
    for (WsClient client : clients) {
      join(client, channel);
    }
    long before = number("fig-in-total");
    for (int i = 0; i < 20; i++) {
      clients[0].send(
          new JsonObject().put("type", "publish").put("channel", channel).put("data", i));
    }
    for (WsClient client : clients) {
      for (int i = 0; i < 20; i++) {
        client.next("message");
      }
    }

    wait.until(d -> text("fig-connections").equals("3"));
    wait.until(d -> number("fig-in-total") >= before + 20);
    wait.until(d -> text("channels").contains(channel));
    WebElement row =
        browser.findElement(
            By.xpath("//table[@id='channels']//tr[td[1][text()='" + channel + "']]"));
    assertThat(row.findElements(By.tagName("td")).get(1).getText()).isEqualTo("3");
    screenshot("3-figures");
  }

  @Test
  @Order(3)
  void theDisconnectButtonClosesARealConnection() {
    String user = "console-user-" + System.nanoTime();
    WsClient victim = connectAs(user, "acme");
    WsClient bystander = connectAs(user + "-other", "acme");

    type("search", user);
    browser.findElement(By.cssSelector("#search-form button")).click();
    By button = By.cssSelector("button[data-connection-id='" + victim.connectionId() + "']");
    wait.until(ExpectedConditions.elementToBeClickable(button)).click();

    assertThat(victim.awaitClose()).isEqualTo((short) 4502);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("search-results"), "closed with 4502"));
    assertThat(browser.findElements(By.cssSelector("#search-results [data-result-id]"))).hasSize(1);
    // The metadata shown is the connection's own.
    assertThat(text("search-results")).contains("userId").contains(user).contains("acme");
    assertThat(bystander.isClosed()).isFalse();
    screenshot("4-disconnected");
  }

  @Test
  @Order(4)
  void thePublishFormReachesARealSubscriber() {
    String channel = channel("published");
    WsClient subscriber = connect();
    join(subscriber, channel);

    // The channel's view lists the subscriber in its presence.
    type("channel-name", channel);
    browser.findElement(By.cssSelector("#channel-form button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("channel-detail"), subscriber.connectionId()));
    assertThat(text("channel-status")).startsWith("1 subscriber,");

    type("publish-channel", channel);
    type("publish-type", "CONSOLE_CHECK");
    type("publish-data", "{\"text\": \"from the page\"}");
    browser.findElement(By.cssSelector("#publish-form button")).click();

    JsonObject message = subscriber.next("message");
    assertThat(message.getString("channel")).isEqualTo(channel);
    assertThat(message.getString("event")).isEqualTo("CONSOLE_CHECK");
    assertThat(message.getJsonObject("data"))
        .isEqualTo(new JsonObject().put("text", "from the page"));
    wait.until(ExpectedConditions.textToBe(By.id("publish-result"), "Delivered to 1 connection."));
    screenshot("5-published");
  }

  @Test
  @Order(5)
  void theTailShowsAPublishedMessageAndStopsWithThePage() {
    String channel = channel("tailed");
    WsClient subscriber = connect();
    join(subscriber, channel);

    type("tail-channel", channel);
    browser.findElement(By.id("tail-start")).click();
    wait.until(ExpectedConditions.attributeToBe(By.id("tail-status"), "data-state", "open"));
    assertThat(server.server().metrics().adminStreams()).isEqualTo(2);
    String marker = "tail-marker-" + System.nanoTime();
    adminPost(
        "/v1/broadcast",
        new JsonObject()
            .put("channel", channel)
            .put("type", "TAILED")
            .put("data", new JsonObject().put("marker", marker))
            .encode());

    assertThat(subscriber.next("message").getJsonObject("data").getString("marker"))
        .isEqualTo(marker);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tail-messages"), marker));
    screenshot("6-tail");

    // Leaving the page ends its figures and its tail on the server.
    browser.get("about:blank");
    Await.until(
        "the server has let go of the page's streams",
        DEADLINE,
        () -> server.server().metrics().adminStreams() == 0);
  }

  private String consoleUrl() {
    return "http://127.0.0.1:" + server.adminPort() + "/";
  }

  private void login(String token) {
    type("token", token);
    browser.findElement(By.cssSelector("#login-form button")).click();
  }

  private void type(String id, String value) {
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    field.clear();
    field.sendKeys(value);
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  /** A figure the page shows, as a number (it formats them with thousands separators). */
  private long number(String id) {
    String shown = text(id).replace(",", "");
    return shown.matches("\\d+") ? Long.parseLong(shown) : -1;
  }

  private void screenshot(String name) {
    Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
    try {
      Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

// A client of Switchboard's TCP event-bus bridge written against its framing alone (a 4-byte
// big-endian length, then that many bytes of UTF-8 JSON), with Node's `net` and `readline` modules
// and nothing else, so it needs no npm install. BridgeNodeIT and BridgeClusterIT run it against
// real servers:
//
//   node bridge-client.js <host> <port> <channel> [token] [--on-stdin]
//
// It registers for connection and join events, then waits for a WebSocket client to join
// <channel>; it then broadcasts to that channel and waits for the reply. Everything it sees is
// printed as one JSON object per line; it exits 0 after the reply, 1 on any error frame, a
// closed connection or after 10 seconds.
//
// With --on-stdin it also registers for leave and disconnect events, and broadcasts not on a join
// but once for each line of its standard input (the line is the message's `data`, as JSON), and
// prints each reply as it comes; it exits 0 at the end of its input once every reply is in.
'use strict';

const net = require('net');
const readline = require('readline');

const args = process.argv.slice(2);
const onStdin = args.includes('--on-stdin');
const [host, port, channel, token] = args.filter((arg) => arg !== '--on-stdin');
if (!host || !port || !channel) {
  console.error('usage: node bridge-client.js <host> <port> <channel> [token] [--on-stdin]');
  process.exit(2);
}

function print(line) {
  process.stdout.write(JSON.stringify(line) + '\n');
}

function fail(reason) {
  print({ event: 'failed', reason });
  process.exit(1);
}

const socket = net.connect({ host, port: Number(port) });

function send(frame) {
  if (token) {
    frame.headers = Object.assign({}, frame.headers, { token });
  }
  const json = Buffer.from(JSON.stringify(frame), 'utf8');
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(json.length, 0);
  socket.write(Buffer.concat([prefix, json]));
}

// Bytes read and not yet a whole frame.
let pending = Buffer.alloc(0);

function broadcast(replyAddress, data) {
  send({
    type: 'send',
    address: 'switchboard.broadcast',
    replyAddress,
    body: { channel, type: 'FROM_NODE', data },
  });
}

// --on-stdin: broadcasts sent and not answered yet, and whether the input has ended.
let unanswered = 0;
let inputEnded = false;

function exitWhenDone() {
  if (inputEnded && unanswered === 0) {
    socket.end();
    process.exit(0);
  }
}

function onFrame(frame) {
  if (frame.type === 'err') {
    fail(frame);
  } else if (frame.type === 'pong') {
    print({ event: 'ready' });
  } else if (frame.address === 'switchboard.events.connection.connected') {
    print({ event: 'connected', connectionId: frame.body.connectionId });
  } else if (frame.address === 'switchboard.events.channel.joined') {
    if (frame.body.channel === channel) {
      print({ event: 'joined', connectionId: frame.body.connectionId });
      if (!onStdin) {
        broadcast('node-reply', { runtime: process.version });
      }
    }
  } else if (frame.address === 'switchboard.events.channel.left') {
    if (frame.body.channel === channel) {
      print({ event: 'left', connectionId: frame.body.connectionId });
    }
  } else if (frame.address === 'switchboard.events.connection.disconnected') {
    print({ event: 'disconnected', connectionId: frame.body.connectionId });
  } else if (frame.address === 'node-reply' || frame.address.startsWith('node-reply-')) {
    print({ event: 'reply', body: frame.body });
    if (onStdin) {
      unanswered--;
      exitWhenDone();
    } else {
      socket.end();
      process.exit(0);
    }
  }
}

socket.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4) {
    const length = pending.readUInt32BE(0);
    if (pending.length < 4 + length) {
      break;
    }
    const json = pending.subarray(4, 4 + length).toString('utf8');
    pending = pending.subarray(4 + length);
    onFrame(JSON.parse(json));
  }
});

socket.on('connect', () => {
  send({ type: 'register', address: 'switchboard.events.connection.connected' });
  send({ type: 'register', address: 'switchboard.events.channel.joined' });
  if (onStdin) {
    send({ type: 'register', address: 'switchboard.events.channel.left' });
    send({ type: 'register', address: 'switchboard.events.connection.disconnected' });
  }
  // Frames are handled in order: the pong means every registration is in place.
  send({ type: 'ping' });
  if (onStdin) {
    const lines = readline.createInterface({ input: process.stdin });
    let sent = 0;
    lines.on('line', (line) => {
      unanswered++;
      sent++;
      broadcast('node-reply-' + sent, JSON.parse(line));
    });
    lines.on('close', () => {
      inputEnded = true;
      exitWhenDone();
    });
  }
});

socket.on('error', (error) => fail(error.message));
socket.on('close', () => fail('the bridge closed the connection'));
if (!onStdin) {
  setTimeout(() => fail('no reply within 10 seconds'), 10000).unref();
}

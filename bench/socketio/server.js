'use strict';
// The Socket.IO 4 peer that switchboard-bench measures Switchboard against: plain rooms.
//   join (channel, ack)        joins the room and acks {channel, subscribers}
//   publish {channel, data}    emits message {channel, data, ts} to the room, encoded once by
//                              Socket.IO's broadcast, as Switchboard encodes each message once
// GET /heap answers the heap in use after a full GC (start node with --expose-gc).
// Compression is off, as on every target the bench compares.

const http = require('node:http');
const { Server } = require('socket.io');

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 0);

const httpServer = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/heap') {
    if (global.gc) {
      global.gc();
    }
    const memory = process.memoryUsage();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      rss: memory.rss,
      afterGc: Boolean(global.gc),
    }));
    return;
  }
  res.writeHead(404);
  res.end();
});

const io = new Server(httpServer, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  maxHttpBufferSize: 64 * 1024,
  serveClient: false,
});

io.on('connection', (socket) => {
  socket.on('join', (channel, ack) => {
    if (typeof channel !== 'string') {
      return;
    }
    socket.join(channel);
    if (typeof ack === 'function') {
      const room = io.sockets.adapter.rooms.get(channel);
      ack({ channel, subscribers: room ? room.size : 0 });
    }
  });
  socket.on('publish', (message) => {
    if (message && typeof message.channel === 'string') {
      io.to(message.channel).emit('message', {
        channel: message.channel,
        data: message.data,
        ts: new Date().toISOString(),
      });
    }
  });
});

httpServer.listen(port, host, () => {
  const { address, port: actual } = httpServer.address();
  console.log(`socket.io server listening [ws: ws://${address}:${actual}/socket.io/,`
    + ` instances: 1, heap: http://${address}:${actual}/heap]`);
});

function stop() {
  io.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

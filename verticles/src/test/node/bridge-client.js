// A client of Switchboard's TCP event-bus bridge written against its framing alone (a 4-byte
// big-endian length, then that many bytes of UTF-8 JSON), with Node's `net` module and nothing
// else, so it needs no npm install. BridgeNodeIT runs it against a real server:
//
//   node bridge-client.js <host> <port> <channel> [token]
//
// It registers for connection and join events, then waits for a WebSocket client to join
// <channel>; it then broadcasts to that channel and waits for the reply. Everything it sees is
// printed as one JSON object per line; it exits 0 after the reply, 1 on any error frame, a
// closed connection or after 10 seconds.
'use strict';

const net = require('net');

const [host, port, channel, token] = process.argv.slice(2);
if (!host || !port || !channel) {
  console.error('usage: node bridge-client.js <host> <port> <channel> [token]');
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
      send({
        type: 'send',
        address: 'switchboard.broadcast',
        replyAddress: 'node-reply',
        body: { channel, type: 'FROM_NODE', data: { runtime: process.version } },
      });
    }
  } else if (frame.address === 'node-reply') {
    print({ event: 'reply', body: frame.body });
    socket.end();
    process.exit(0);
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
  // Frames are handled in order: the pong means both registrations are in place.
  send({ type: 'ping' });
});

socket.on('error', (error) => fail(error.message));
socket.on('close', () => fail('the bridge closed the connection'));
setTimeout(() => fail('no reply within 10 seconds'), 10000).unref();

// A minimal raw client on the ws package: a peer of realtimeai for
// realtime-bench-peers.
//
//   node ws-client.mjs URL INPUT     (key in OPENAI_API_KEY, CA in
//                                     NODE_EXTRA_CA_CERTS)
import WebSocket from 'ws';
import { SESSION, count, onEvent, report, sendAudio } from './common.mjs';

const [url, input] = process.argv.slice(2);
const ws = new WebSocket(url, {
  headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
  perMessageDeflate: false, maxPayload: 0,
});
const send = (event) => ws.send(JSON.stringify(event));

ws.on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
ws.on('open', () => send(SESSION));
ws.on('message', (data) => {
  const event = JSON.parse(data.toString());

  if (onEvent(event)) {
    report();
    ws.close();
  } else if (event.type === 'session.updated' && count.updated === 1) {
    sendAudio(input, send, ws);
  }
});

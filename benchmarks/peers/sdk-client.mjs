// The official openai package's realtime WebSocket client
// (OpenAIRealtimeWS), used as its documentation shows: a peer of
// realtimeai for realtime-bench-peers.
//
//   node sdk-client.mjs URL INPUT    (key in OPENAI_API_KEY, CA in
//                                     NODE_EXTRA_CA_CERTS)
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { SESSION, count, onEvent, report, sendAudio } from './common.mjs';

const [url, input] = process.argv.slice(2);
// the SDK builds wss://HOST/v1/realtime?model=M from the client's base URL
const client = new OpenAI({
  baseURL: url.replace(/^ws/, 'http').replace(/\/realtime$/, ''),
});
const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime' }, client);

rt.on('error', (err) => {
  console.error(err.message);
  process.exit(1);
});
rt.socket.on('open', () => rt.send(SESSION));
rt.on('event', (event) => {
  if (onEvent(event)) {
    report();
    rt.close();
  } else if (event.type === 'session.updated' && count.updated === 1) {
    sendAudio(input, (e) => rt.send(e), rt.socket);
  }
});

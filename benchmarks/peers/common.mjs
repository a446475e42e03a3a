// What the two Node peers of realtimeai share: the session they ask for,
// the input they stream and the counting of what comes back.
import { openSync, readSync } from 'node:fs';
import { once } from 'node:events';

const APPEND_BYTES = 4800; // 100 ms of S16LE at 24 kHz
// ws's default for a socket's write buffer before send waits, as
// python3-websockets' write limit
const HIGH_WATER = 65536;

export const SESSION = {
  type: 'session.update',
  session: {
    type: 'realtime', output_modalities: ['audio'],
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        turn_detection: { type: 'server_vad', interrupt_response: false },
      },
      output: { format: { type: 'audio/pcm', rate: 24000 } },
    },
  },
};
// after the last append: its session.updated says all audio was handled
export const BARRIER = { type: 'session.update', session: { type: 'realtime' } };

export const count = { in: 0, reply: 0, turns: 0, done: 0, updated: 0 };
let cpu0; // from the session's configuration on

// Streams @path in 100 ms appends through @send; @ws is the ws socket,
// whose buffer is let drain when it holds more than HIGH_WATER.
export async function sendAudio(path, send, ws) {
  cpu0 = process.cpuUsage();
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(APPEND_BYTES);
  let n;

  while ((n = readSync(fd, chunk, 0, APPEND_BYTES)) > 0) {
    send({ type: 'input_audio_buffer.append',
      audio: chunk.toString('base64', 0, n) });
    count.in += n;
    if (ws.bufferedAmount > HIGH_WATER)
      await once(ws._socket, 'drain');
  }
  send(BARRIER);
}

// Counts @event; true once every committed turn has its response.done
// and the barrier was answered.
export function onEvent(event) {
  switch (event.type) {
    case 'response.output_audio.delta':
      count.reply += Buffer.from(event.delta, 'base64').length;
      break;
    case 'input_audio_buffer.committed':
      count.turns++;
      break;
    case 'response.done':
      count.done++;
      break;
    case 'session.updated':
      count.updated++;
      break;
    case 'error':
      console.error('server error:', JSON.stringify(event));
      process.exit(1);
  }
  return count.updated === 2 && count.done === count.turns;
}

// "in=BYTES reply=BYTES stream_cpu_s=S", S the CPU since sendAudio began
export function report() {
  const cpu = process.cpuUsage(cpu0);
  const s = ((cpu.user + cpu.system) / 1e6).toFixed(3);

  console.log(`in=${count.in} reply=${count.reply} stream_cpu_s=${s}`);
}

/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* A scripted server speaking the Realtime protocol over a WebSocket, on
 * libsoup's SoupServer. It runs on its own thread and GMainContext, bound to
 * 127.0.0.1, detects turns with an energy VAD on the audio it receives and
 * answers each turn with scripted text, or with an echo of the turn's audio
 * and a transcript. Used by the tests and by the `realtime-test-server`
 * program for demos.
 *
 * Paths: /v1/realtime (OpenAI), /openai/v1/realtime (Azure GA; an
 * api-version there is refused with 401, as Azure does) and
 * /openai/realtime (Azure preview, `?api-version=...&deployment=D`). The
 * preview path, or an `OpenAI-Beta: realtime=v1` header, selects the beta
 * dialect (flat session.update, response.audio.delta, ...); the rest is
 * GA. The key may come as `Authorization: Bearer K` or `api-key: K`.
 * `?intent=transcription` starts a GA transcription session.
 *
 * What it says, so tests can check what reached it:
 * - in-band replies: "Reply to turn N." (N counts committed user audio and
 *   user messages), "Reply to turn N: <instructions>" with a response.create
 *   instructions override, "Done: <output1> | <output2>" when answering
 *   function_call_output items; out-of-band ones (conversation "none"):
 *   "Out-of-band reply.", with conversation_id null and metadata echoed.
 *   Audio replies echo the latest user audio (silence, 100 ms a word, when
 *   the turn had none).
 * - with input transcription on: "Transcript of turn N." per user turn.
 *   Transcription sessions never respond: a response.create gets an
 *   `error` (code invalid_request_error).
 * - response.done usage: input_tokens 10 * N (10 * (N - 1) of them cached),
 *   output_tokens one per word (10 per function call), total the sum.
 * - rate_limits.updated after each response.created: requests 1000, with
 *   999 - (responses before) remaining, and tokens 50000, less the
 *   total_tokens of the responses done.
 *
 * - turn_detection.idle_timeout_ms: after that much appended audio
 *   without speech since the end of the last turn (not counting audio that
 *   arrives during a response), input_audio_buffer.timeout_triggered over
 *   that audio, which is then committed as a turn and, with
 *   create_response, replied to.
 * - a transcription model whose name holds "diarize": each transcript
 *   comes as two input_audio_transcription.segment events instead of
 *   deltas (the first half of its words from speaker "A" over the first
 *   40 % of the turn's audio, the rest from "B" over its second half,
 *   times in seconds from the start of the item), then completed. Completed transcripts carry
 *   languages [{code}]: the session's language, else the first of its
 *   languages, else "en" (GA).
 *
 * Barge-in and truncation behave as at the real server: speech_started
 * during an in-band response cancels it (status_details.reason
 * "turn_detected") when turn_detection.interrupt_response is true (the
 * default), and conversation.item.truncate is checked against the audio
 * sent for the item (see realtime_test_server_get_truncates). */

#ifndef __REALTIME_TEST_SERVER_H__
#define __REALTIME_TEST_SERVER_H__

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _RealtimeTestServer RealtimeTestServer;

/* Faults a test can switch on. */
typedef enum
{
  /* answer the WebSocket handshake with HTTP 401, whatever the key */
  REALTIME_TEST_FAULT_REFUSE_KEY = 1 << 0,
  /* close the connection (code 1011) after the first delta of a response */
  REALTIME_TEST_FAULT_CLOSE_MID_RESPONSE = 1 << 1,
  /* answer every session.update with an `error` event (type
   * invalid_request_error, code unknown_parameter, param
   * session.instructions) instead of session.updated */
  REALTIME_TEST_FAULT_ERROR_EVENT = 1 << 2,
  /* before every server event of a response, send a frame that is not
   * JSON, a JSON array, an event of an unknown type and a binary frame */
  REALTIME_TEST_FAULT_MALFORMED_FRAMES = 1 << 3,
  /* wait `slow-ms` (see realtime_test_server_set_slow_ms) before each
   * response and between its deltas, without blocking the server thread */
  REALTIME_TEST_FAULT_SLOW = 1 << 4,
  /* never answer the handshake's upgrade: the client must time out */
  REALTIME_TEST_FAULT_HANG_HANDSHAKE = 1 << 5,
  /* as api.openai.com: a key in the `api-key` header passes the
   * handshake, then gets an `error` with code null ("Missing bearer or
   * basic authentication in header") and close 3000 */
  REALTIME_TEST_FAULT_BEARER_ONLY = 1 << 6,
  /* as OpenAI's GA service: a beta-shaped connection gets an `error` with
   * code beta_api_shape_disabled and close 4000 */
  REALTIME_TEST_FAULT_GA_ONLY = 1 << 7,
} RealtimeTestFault;

/* How a connection that accepts the WebSocket fails to start a session. */
typedef enum
{
  /* never send session.created */
  REALTIME_TEST_STALL_BEFORE_CREATED = 1,
  /* send it, and never answer session.update */
  REALTIME_TEST_STALL_BEFORE_UPDATED,
} RealtimeTestStall;

/* One user turn as the server's VAD saw it. */
typedef struct
{
  gint64 audio_start_ms;
  gint64 audio_end_ms;
} RealtimeTestTurn;

/* One conversation.item.truncate the server answered. */
typedef struct
{
  gchar item_id[64];            /* as the client named it, cut to 63 bytes */
  gint64 audio_end_ms;          /* what the client asked for */
  gint64 item_audio_ms;         /* audio the item had then: what the server
                                 * sent of it, or the end of an earlier
                                 * truncate; 0 for items without audio, -1
                                 * for unknown items */
  gboolean accepted;            /* answered conversation.item.truncated,
                                 * else an `error` */
} RealtimeTestTruncate;

RealtimeTestServer *realtime_test_server_new (void);
void realtime_test_server_free (RealtimeTestServer * server);

/* Configuration; call before start. */
void realtime_test_server_set_api_key (RealtimeTestServer * server,
    const gchar * key);
void realtime_test_server_set_faults (RealtimeTestServer * server,
    RealtimeTestFault faults);
void realtime_test_server_set_slow_ms (RealtimeTestServer * server,
    guint slow_ms);
void realtime_test_server_set_record_file (RealtimeTestServer * server,
    const gchar * path);
/* Sessions expire @lifetime_ms after they start, as at the GA server's
 * 60 min cap: an `error` event (code session_expired, no event_id), then
 * close code 1001. session.created's expires_at says when (rounded up to
 * a second). 0, the default, means 60 min, never enforced. */
void realtime_test_server_set_session_lifetime_ms (RealtimeTestServer *
    server, guint lifetime_ms);

/* With @n_calls > 0, a response to a user turn in a session (or a
 * response.create) with a function tool calls that tool @n_calls times
 * instead of replying: call_id "call_<turn>_<k>", arguments
 * {"title":"Turn <turn>","start_time":"2026-11-21T10:00:00Z",
 * "duration":30,"call":<k>}. tool_choice "none" turns the calls off and a
 * named tool_choice picks the tool. 0, the default, never calls. */
void realtime_test_server_set_function_calls (RealtimeTestServer * server,
    guint n_calls);
/* User transcripts normally follow the user item's events, before the
 * response; with @after TRUE they follow that turn's response.done. */
void realtime_test_server_set_transcript_after_response (RealtimeTestServer *
    server, gboolean after);

/* A committed turn without speech gets an empty transcript (TRUE, the
 * default) or, as at OpenAI's service, no transcription events at all. */
void realtime_test_server_set_silence_transcribed (RealtimeTestServer *
    server, gboolean transcribed);
/* With @realtime TRUE, responses go out at the pace of the audio they
 * carry, as a model speaking would send them: the audio delta for
 * 100..200 ms of an item 100 ms after the one for 0..100 ms, transcript
 * words with the audio they go with, text-only words 150 ms apart, and
 * the events that close an item once its audio (or words) have run out.
 * FALSE, the default, sends each response at once. Barge-in then works
 * as with a real model: speech that starts while a reply is still being
 * "spoken" cancels it. */
void realtime_test_server_set_realtime_replies (RealtimeTestServer * server,
    gboolean realtime);
/* Each message response has @n assistant items (1, the default, when 0):
 * n - 1 preambles, "Preamble 1." ..., each with 100 ms of silence a word
 * in audio replies, then the usual reply; output_index 0 .. n - 1, each
 * item with its own output_item, conversation item, content part, deltas
 * and done events. Function call responses are not affected. */
void realtime_test_server_set_items_per_response (RealtimeTestServer *
    server, guint n);
/* With @interleave TRUE, item k + 1 of a multi-item response opens and
 * sends its first delta (audio, or text) right after item k's last delta,
 * before item k's output_audio.done (or output_text.done) and the rest of
 * its closing events, as gpt-realtime-2 does: clients must keep each
 * item's audio with its item. */
void realtime_test_server_set_interleave_items (RealtimeTestServer * server,
    gboolean interleave);
/* Waits @ms before each response's response.created, counted from when
 * the response would start (the VAD turn's commit, or response.create),
 * without blocking the server thread; the response counts as active
 * meanwhile. Adds to the SLOW fault's wait. 0, the default, waits not. */
void realtime_test_server_set_response_delay_ms (RealtimeTestServer * server,
    guint ms);

/* MCP calls and tool lists that fail (see realtimetestserver-extras.c:
 * sessions with an `mcp` tool get mcp_list_tools.* after each
 * session.update, and in-band replies to user turns end with a call of
 * its tool "lookup"). */
typedef enum
{
  REALTIME_TEST_MCP_LIST_FAILS = 1 << 0,
  REALTIME_TEST_MCP_CALL_FAILS = 1 << 1,
} RealtimeTestMcpFailure;

void realtime_test_server_set_mcp_failures (RealtimeTestServer * server,
    RealtimeTestMcpFailure failures);
/* After the first session.updated of each connection, one
 * input_audio_buffer.dtmf_event_received per character of @keys (NULL, the
 * default: none). Any thread, before the connection. */
void realtime_test_server_set_dtmf_keys (RealtimeTestServer * server,
    const gchar * keys);

/* Called on the server thread for every text frame of every connection:
 * with @incoming TRUE for a client event as it arrives (before the server
 * handles it), FALSE for a server event as it is handed to the socket.
 * @time_us is g_get_monotonic_time () then. For latency measurements
 * (benchmarks/realtime-bench); keep it short, it runs on the server's
 * only thread. */
typedef void (*RealtimeTestFrameFunc) (gboolean incoming, const gchar * text,
    gint64 time_us, gpointer user_data);
/* Sets the frame callback (NULL, the default: none). Call before start. */
void realtime_test_server_set_frame_func (RealtimeTestServer * server,
    RealtimeTestFrameFunc func, gpointer user_data);
/* With @drop TRUE the server counts client events (count_client_events,
 * wait_for_client_event) but keeps not their text: get_client_events
 * returns none of them. For long runs, where the appends would pile up
 * (4 MB a minute of audio). FALSE, the default, keeps them. Call before
 * start. */
void realtime_test_server_set_drop_events (RealtimeTestServer * server,
    gboolean drop);

/* A hostile server: @data (@size bytes; -1 for a NUL-terminated string)
 * goes out @count times as a text frame, or as a binary one with @binary,
 * right before the next server event of type @before (its name as sent,
 * e.g. "response.output_audio.delta"), on whichever connection sends it.
 * Neither need be JSON (text frames must be UTF-8: libsoup refuses to
 * send others). In text frames, "@RESPONSE_ID@" and "@ITEM_ID@" stand for
 * that event's response id and item id, so junk can address the response
 * under way. Any thread, before or after start. */
void realtime_test_server_inject_frame (RealtimeTestServer * server,
    const gchar * before, const gchar * data, gssize size, gboolean binary,
    guint count);

/* Starts the server thread, listening on 127.0.0.1:@port (0 picks a free
 * port). With @certificate it serves wss://. */
gboolean realtime_test_server_start (RealtimeTestServer * server, guint port,
    GTlsCertificate * certificate, GError ** error);
void realtime_test_server_stop (RealtimeTestServer * server);

guint realtime_test_server_get_port (RealtimeTestServer * server);
/* ws://127.0.0.1:PORT/v1/realtime (or wss://) */
gchar *realtime_test_server_get_url (RealtimeTestServer * server);
/* ws://127.0.0.1:PORT (or wss://), for the other paths */
gchar *realtime_test_server_get_base_url (RealtimeTestServer * server);

/* Connection faults, from any thread while the server runs. */
/* Ends every open connection: with close code @close_code, or with @close_code
 * 0 without any close frame (the TCP connection just goes, as when a
 * network drops). Returns once the server has done it. */
void realtime_test_server_drop_connections (RealtimeTestServer * server,
    guint close_code);
/* Answers the next @n handshakes with HTTP @status instead of a WebSocket. */
void realtime_test_server_refuse_connections (RealtimeTestServer * server,
    guint n, guint status);
/* The Retry-After header of those refusals (delta-seconds or an
 * HTTP-date), or NULL (the default) for none. */
void realtime_test_server_set_retry_after (RealtimeTestServer * server,
    const gchar * retry_after);
/* Accepts the next @n WebSockets and then stalls them as @stall says. */
void realtime_test_server_stall_connections (RealtimeTestServer * server,
    guint n, RealtimeTestStall stall);
/* Sends every open connection an `error` event (type
 * invalid_request_error, code @code or null, message @message), then
 * closes it with @close_code, unless 0. Returns once the server has done
 * it. */
void realtime_test_server_error_connections (RealtimeTestServer * server,
    const gchar * code, const gchar * message, guint close_code);

/* What the server saw, safe to call from any thread. */
GPtrArray *realtime_test_server_get_client_events (RealtimeTestServer *
    server);
guint realtime_test_server_count_client_events (RealtimeTestServer * server,
    const gchar * type);
GArray *realtime_test_server_get_turns (RealtimeTestServer * server);
/* In-band responses cancelled by barge-in (VAD speech_started with
 * interrupt_response), on every connection */
guint realtime_test_server_count_cancelled (RealtimeTestServer * server);
/* A copy of the truncates of every connection, in arrival order; free
 * with g_array_unref(). */
GArray *realtime_test_server_get_truncates (RealtimeTestServer * server);
/* WebSocket connections accepted since the server was created */
guint realtime_test_server_get_connection_count (RealtimeTestServer * server);
gchar *realtime_test_server_get_last_authorization (RealtimeTestServer *
    server);

/* WebSocket connections open right now */
guint realtime_test_server_get_open_connection_count (RealtimeTestServer *
    server);
/* Blocks until at most @count WebSocket connections are open, or
 * @timeout_ms passed. Returns whether it got there. */
gboolean realtime_test_server_wait_for_open_connections (RealtimeTestServer *
    server, guint count, guint timeout_ms);
/* A header of the last handshake request (e.g. "api-key", "OpenAI-Beta"),
 * NULL if it had none; values of repeated headers are joined by ", ". */
gchar *realtime_test_server_get_last_request_header (RealtimeTestServer *
    server, const gchar * name);
/* The query string of the last handshake request (e.g. "model=gpt-realtime"),
 * without the '?', or NULL. */
gchar *realtime_test_server_get_last_request_query (RealtimeTestServer *
    server);
/* The path of the last handshake request (e.g. "/openai/v1/realtime"), or
 * NULL. */
gchar *realtime_test_server_get_last_request_path (RealtimeTestServer *
    server);

/* Blocks until the server has received @count client events of @type, or
 * @timeout_ms passed. Returns whether the count was reached. */
gboolean realtime_test_server_wait_for_client_event (RealtimeTestServer *
    server, const gchar * type, guint count, guint timeout_ms);

G_END_DECLS

#endif /* __REALTIME_TEST_SERVER_H__ */

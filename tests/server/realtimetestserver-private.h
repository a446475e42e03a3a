/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the parts of the test server share. Everything here runs on the
 * server thread, except what sits behind RealtimeTestServer's `lock`.
 *
 *   realtimetestserver.c               thread, handshake, connections, API
 *   realtimetestserver-send.c          ids, JSON helpers, sending events
 *   realtimetestserver-session.c       session shapes and session.update,
 *                                      GA and beta
 *   realtimetestserver-audio.c         G.711 and PCM conversion
 *   realtimetestserver-input.c         the input buffer and the VAD
 *   realtimetestserver-conversation.c  user items, transcripts, items
 *   realtimetestserver-reply.c         the frames of one response
 *   realtimetestserver-message.c       its assistant messages, paced
 *   realtimetestserver-response.c      running, arbitrating, cancelling
 *   realtimetestserver-inject.c        frames a hostile server slips in
 *   realtimetestserver-extras.c        MCP tools and DTMF keys
 */

#ifndef __REALTIME_TEST_SERVER_PRIVATE_H__
#define __REALTIME_TEST_SERVER_PRIVATE_H__

#include "realtimetestserver.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>

G_BEGIN_DECLS

#define REALTIME_PATH "/v1/realtime"
#define AZURE_GA_PATH "/openai/v1/realtime"
#define AZURE_PREVIEW_PATH "/openai/realtime"
#define DEFAULT_MODEL "gpt-realtime-2"
#define MIN_COMMIT_MS 100

typedef enum
{
  CODEC_PCM16,
  CODEC_PCMU,
  CODEC_PCMA,
} Codec;

typedef struct
{
  Codec codec;
  guint rate;
} AudioFormat;

typedef struct
{
  gboolean enabled;
  gdouble threshold;
  guint prefix_padding_ms;
  guint silence_duration_ms;
  guint idle_timeout_ms;        /* server_vad; 0 when not set */
  gboolean create_response;
  gboolean interrupt_response;
} VadConfig;

/* What the server acts on, derived from the session in either dialect. */
typedef struct
{
  gboolean transcription_session;       /* GA type "transcription" */
  gboolean text_output;
  gboolean transcribe;          /* user audio gets transcripts */
  gboolean diarize;             /* a diarizing model: segments, no deltas */
  AudioFormat in_fmt;
  AudioFormat out_fmt;
  VadConfig vad;
} SessionConfig;

typedef struct _Connection Connection;
typedef struct _Response Response;

/* What a response answers and how. */
typedef struct
{
  guint turn;
  GBytes *audio;                /* S16 samples of the turn, or NULL */
  guint audio_rate;
  gboolean text_only;
  gboolean out_of_band;
  JsonNode *metadata;
  gchar *instructions;          /* the response.create override, or NULL */
  gchar *tool_name;             /* call this function instead of replying */
  GPtrArray *outputs;           /* function_call_output outputs answered */
} ResponseJob;

struct _Connection
{
  RealtimeTestServer *server;
  SoupWebsocketConnection *ws;
  GSocket *socket;              /* for drop_connections() */
  gboolean beta;
  JsonObject *session;          /* in the dialect's own shape */
  SessionConfig cfg;
  gchar *conversation_id;

  /* input: positions count samples appended on this connection */
  guint64 total_samples;
  GArray *pending;              /* gint16 appended since the last commit */
  guint64 pending_start;
  gint odd_byte;                /* half a PCM sample carried over, or -1 */

  /* VAD */
  gint64 frame_energy;
  guint frame_fill;
  guint voiced_run;
  guint silent_run;
  gboolean speaking;
  guint64 speech_start;
  guint64 silence_start;
  guint64 idle_start;           /* where the idle timeout counts from */
  gchar *speech_item_id;

  /* conversation */
  guint turns;
  GBytes *last_turn_audio;
  guint last_turn_rate;
  gchar *last_item_id;
  GHashTable *item_audio_us;    /* item id -> gint64 *, audio sent of it */
  GPtrArray *function_outputs;  /* received since the last response */
  GQueue transcripts;           /* waiting for their turn's response.done */

  /* responses */
  Response *response;           /* the in-band one */
  GList *out_of_band;           /* Response, running beside it */
  GQueue queued;                /* ResponseJob waiting for `response` */
  guint n_responses;
  gint64 tokens_used;

  GSource *expiry;
  gboolean stalled;             /* never answers session.update */
  gboolean dtmf_sent;
};

struct _RealtimeTestServer
{
  /* configuration */
  gchar *api_key;
  guint slow_ms;
  guint lifetime_ms;
  gchar *record_path;
  gint faults;
  gint function_calls;
  gint transcript_after_response;
  gint silence_untranscribed;
  gint realtime_replies;
  gint items_per_response;
  gint interleave_items;
  gint response_delay_ms;
  gint mcp_failures;            /* RealtimeTestMcpFailure */
  gchar *dtmf_keys;
  RealtimeTestFrameFunc frame_func;
  gpointer frame_data;
  gboolean drop_events;
  guint refusals;               /* handshakes still to refuse, under lock */
  guint refusal_status;
  gchar *retry_after;           /* of refusals, under lock */
  guint stalls;                 /* connections still to stall, under lock */
  RealtimeTestStall stall;

  /* the server thread */
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *soup;
  GTlsCertificate *certificate;
  guint requested_port;
  guint port;
  gboolean ready;
  GError *start_error;
  GList *connections;
  guint closing_sockets;
  gint id_counter;

  /* what the server saw, guarded by lock */
  GMutex lock;
  GCond cond;
  GPtrArray *events;
  guint n_dropped;              /* events not kept (drop_events) */
  GHashTable *type_counts;
  GArray *turns;
  GArray *truncates;
  guint n_cancelled;
  guint n_connections;
  guint n_open;
  gchar *last_authorization;
  gchar *last_query;
  gchar *last_path;
  SoupMessageHeaders *last_headers;
  FILE *record;
  GQueue injections;            /* Injection *, waiting for their event */
};

/* A handler of one client event type. */
typedef void (*RtsEventHandler) (Connection * c, JsonObject * event,
    const gchar * event_id);

/* realtimetestserver.c */
void rts_record_turn (RealtimeTestServer * self, guint64 start_ms,
    guint64 end_ms);
void rts_record_barge_in (RealtimeTestServer * self);
void rts_record_truncate (RealtimeTestServer * self,
    const RealtimeTestTruncate * truncate);

/* realtimetestserver-inject.c: frames to slip in (see
 * realtime_test_server_inject_frame) */
typedef struct
{
  gchar *before;                /* the type of the event they precede */
  GBytes *data;
  gboolean binary;
  guint count;
} Injection;

void rts_injection_free (Injection * injection);
void rts_send_injections (Connection * c, const gchar * event_text);

/* realtimetestserver-send.c */
gchar *rts_new_id (RealtimeTestServer * self, const gchar * prefix);
gboolean rts_has_fault (RealtimeTestServer * self, RealtimeTestFault fault);
JsonObject *rts_member_object (JsonObject * object, const gchar * name);
const gchar *rts_member_string (JsonObject * object, const gchar * name);
void rts_set_string_or_null (JsonObject * object, const gchar * name,
    const gchar * value);
JsonArray *rts_string_array (const gchar * value);
gchar *rts_object_to_json (JsonObject * object);
gchar **rts_split_words (const gchar * text);
guint rts_count_words (const gchar * text, gsize len);
gboolean rts_connection_is_open (Connection * c);
void rts_send_text (Connection * c, const gchar * text);
JsonObject *rts_new_event (Connection * c, const gchar * type);
void rts_send_event (Connection * c, JsonObject * event);
void rts_send_error (Connection * c, const gchar * code,
    const gchar * message, const gchar * param, const gchar * client_event_id);
void rts_send_malformed_frames (Connection * c);
JsonObject *rts_item_event (Connection * c, const gchar * type,
    JsonObject * item, const gchar * previous_item_id);
void rts_send_item_added (Connection * c, JsonObject * item);

/* realtimetestserver-extras.c */
void rts_list_mcp_tools (Connection * c);
const gchar *rts_mcp_server_label (Connection * c);
void rts_build_mcp_call (Response * r, const gchar * server_label);
void rts_send_dtmf_keys (Connection * c);

/* realtimetestserver-session.c */
JsonObject *rts_session_new (Connection * c, const gchar * model,
    gboolean transcription);
void rts_session_derive (Connection * c);
void rts_send_session_event (Connection * c, const gchar * type);
gboolean rts_modalities_are_text (JsonObject * holder, const gchar * name);
JsonObject *rts_format_object (const AudioFormat * fmt);
const gchar *rts_beta_format_name (const AudioFormat * fmt);
void rts_handle_session_update (Connection * c, JsonObject * event,
    const gchar * event_id);

/* realtimetestserver-audio.c */
gint16 *rts_decode_input (Connection * c, const guint8 * data, gsize len,
    gsize * n);
GBytes *rts_encode_output (const AudioFormat * fmt, GBytes * audio,
    guint in_rate);
gboolean rts_base64_is_valid (const gchar * text);

/* realtimetestserver-input.c */
void rts_vad_reset (Connection * c);
gboolean rts_audio_is_voiced (Connection * c, GBytes * audio);
void rts_handle_append (Connection * c, JsonObject * event,
    const gchar * event_id);
void rts_handle_commit (Connection * c, JsonObject * event,
    const gchar * event_id);
void rts_handle_clear (Connection * c, JsonObject * event,
    const gchar * event_id);

/* realtimetestserver-conversation.c */
void rts_commit_turn (Connection * c, gchar * item_id, GBytes * audio);
void rts_flush_transcripts (Connection * c, guint upto_turn);
void rts_conversation_clear (Connection * c);
void rts_conversation_note_item (Connection * c, const gchar * item_id,
    gint64 audio_us);
void rts_handle_item_create (Connection * c, JsonObject * event,
    const gchar * event_id);
void rts_handle_item_truncate (Connection * c, JsonObject * event,
    const gchar * event_id);
void rts_handle_item_delete (Connection * c, JsonObject * event,
    const gchar * event_id);

/* realtimetestserver-reply.c: a response and its frames */
typedef struct
{
  gchar *json;
  gboolean delay;               /* the SLOW fault waits before this frame */
  gboolean is_delta;
  gint64 at_us;                 /* when realtime replies send it, counted
                                 * from response.created */
  gint message;                 /* the message it is about, or -1 */
  gssize text_upto;             /* that message's text out once this frame
                                 * is */
  gint64 audio_us;              /* the audio it carries */
  guint calls_done;             /* function calls complete by then */
} Frame;

/* An assistant message of a response. */
typedef struct
{
  gchar *id;
  gchar *text;
  guint output_index;

  /* while building */
  gssize built_text;
  gchar **words;
  GBytes *audio;                /* in the output format, or NULL for text */
  gint64 start_us;              /* where it runs in the response, for */
  gint64 end_us;                /* realtime replies */
} Message;

struct _Response
{
  Connection *c;
  ResponseJob *job;
  gchar *id;
  GPtrArray *messages;          /* Message, in output order */
  GPtrArray *calls;             /* the completed function_call items */
  GArray *frames;
  guint next;
  gboolean waited;
  gint64 started_us;            /* when response.created went out */
  GSource *timeout;
  gint64 usage_total;           /* total_tokens of its response.done */

  /* while building: what the next frames are about, and when */
  Message *building;
  gint64 built_us;
  guint built_calls;
};

Response *rts_response_build (Connection * c, ResponseJob * job);
void rts_response_free (Response * r);
void rts_response_job_free (ResponseJob * job);
JsonObject *rts_response_done_event (Response * r, const gchar * status,
    const gchar * reason, guint n_sent);
Frame *rts_response_add (Response * r, JsonObject * event, gboolean is_delta);
JsonObject *rts_output_event (Response * r, const gchar * type,
    guint output_index);
JsonObject *rts_output_item_event (Response * r, const gchar * type,
    JsonObject * item, guint output_index);
void rts_add_conversation_item (Response * r, JsonObject * item,
    gboolean added);
gchar *rts_reply_text (ResponseJob * job);

/* realtimetestserver-message.c */
void rts_build_messages (Response * r);
void rts_message_free (Message * m);
JsonObject *rts_message_item (Response * r, Message * m,
    const gchar * status, gssize text_len);

/* realtimetestserver-response.c */
void rts_queue_response (Connection * c, ResponseJob * job);
ResponseJob *rts_response_job_new (Connection * c, JsonObject * params);
void rts_drop_queued_responses (Connection * c);
void rts_response_cancel (Response * r, const gchar * reason);
void rts_responses_free (Connection * c);
void rts_handle_response_create (Connection * c, JsonObject * event,
    const gchar * event_id);
void rts_handle_response_cancel (Connection * c, JsonObject * event,
    const gchar * event_id);

G_END_DECLS

#endif /* __REALTIME_TEST_SERVER_PRIVATE_H__ */

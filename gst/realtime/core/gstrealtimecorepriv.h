/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the files of the conversation core share: its state, the actions
 * it queues, its mode, and the handlers of the events it decides. */

#ifndef __GST_REALTIME_CORE_PRIV_H__
#define __GST_REALTIME_CORE_PRIV_H__

#include "gstrealtimecarryover.h"
#include "gstrealtimecore.h"
#include "gstrealtimeresponses.h"
#include "gstrealtimewarnlimit.h"

G_BEGIN_DECLS

/* The EOS drain on one connection: a barrier, so that the server's VAD has
 * heard all the audio, then the commit of the speech it has not ended. */
typedef struct
{
  guint epoch;                  /* of the connection they went on */
  gboolean barrier;             /* sent */
  guint updates;                /* session.updated count before it */
  gboolean heard;               /* the barrier was answered */
  gboolean committed;
} GstRealtimeCoreDrain;

struct _GstRealtimeCore
{
  GstRealtimeTurns *turns;
  GstRealtimeTimeline *timeline;
  const GstRealtimeSessionConfig *config;
  gboolean live;
  gboolean file_mode;
  gint64 pace_start;            /* monotonic µs; 0: not pacing */
  gint64 pace_start_ms;         /* the timeline's ms then */

  GQueue actions;
  guint64 next_event_id;
  gchar *session_update_id;

  GstRealtimeResponses *responses;
  guint vad_commits_expected;   /* speech_stopped not yet committed */
  gint64 committed_ms;          /* appended audio the server committed */
  gint64 commit_start_ms;       /* where the audio of our commit starts */
  gchar *pending_commit_id;
  gboolean commit_wants_response;
  GHashTable *open_calls;       /* call id -> name, unanswered */
  GHashTable *mcp_items;        /* item id -> its MCP server and tool */
  guint calls_answered;         /* outputs given since the last response */

  /* the last reply item queued, for barge-in */
  gchar *playing_item;
  GstRealtimeTime playing_start;
  GstRealtimeTime playing_end;

  /* warnings about what the server sent, past a burst counted */
  GstRealtimeWarnLimit warnings;

  /* the conversation, for a new session */
  GstRealtimeCarryOver carry_over;

  guint updates_seen;           /* session.updated events received */
  GstRealtimeCoreDrain drain;

  gint64 renew_at;              /* monotonic µs; 0: no end known */
  gboolean renewing;            /* a fresh session is taking over */

  GstRealtimeCoreLogFunc log_func;      /* NULL: GLib's log */
  gpointer log_data;
};

void gst_realtime_core_log (GstRealtimeCore * core, GLogLevelFlags level,
    const gchar * file, const gchar * function, gint line,
    const gchar * format, ...) G_GNUC_PRINTF (6, 7);
#define GST_REALTIME_CORE_DEBUG(core, ...) \
    gst_realtime_core_log ((core), G_LOG_LEVEL_DEBUG, __FILE__, G_STRFUNC, \
        __LINE__, __VA_ARGS__)

/* The session's mode */

static inline gboolean
is_conversation (GstRealtimeCore * core)
{
  return core->config->session_type == GST_REALTIME_SESSION_TYPE_REALTIME;
}

static inline gboolean
detects_turns (GstRealtimeCore * core)
{
  return core->config->turn_detection.type != GST_REALTIME_TURN_DETECTION_NONE;
}

static inline gboolean
server_replies (GstRealtimeCore * core)
{
  return is_conversation (core) && detects_turns (core)
      && core->config->turn_detection.create_response;
}

/* With file input the element asks for each reply itself. */
static inline gboolean
element_replies (GstRealtimeCore * core)
{
  return core->file_mode && is_conversation (core);
}

/* gstrealtimecore.c: actions and requests */
GstRealtimeAction *gst_realtime_core_add_action (GstRealtimeCore * core,
    GstRealtimeActionType type);
void gst_realtime_core_send (GstRealtimeCore * core, gchar * event);
GstRealtimeAction *gst_realtime_core_notice (GstRealtimeCore * core,
    GstRealtimeNotice kind);
void gst_realtime_core_transcript_notice (GstRealtimeCore * core,
    GstRealtimeTextRole role, gboolean final);
GstRealtimeAction *gst_realtime_core_problem (GstRealtimeCore * core,
    GstRealtimeActionType type, GstRealtimeProblem kind);
void gst_realtime_core_send_ready_responses (GstRealtimeCore * core);
void gst_realtime_core_follow_up_calls (GstRealtimeCore * core);
void gst_realtime_core_advance (GstRealtimeCore * core);

/* gstrealtimecoresession.c */
void gst_realtime_core_remember_text (GstRealtimeCore * core,
    gboolean assistant, const gchar * text);

/* The handlers of the events the core decides: gstrealtimecoreturns.c
 * and gstrealtimecoreerrors.c */
#define GST_REALTIME_CORE_HANDLER(name) \
  void gst_realtime_core_on_##name (GstRealtimeCore * core, \
      const GstRealtimeServerEvent * event, gint64 now_us)

GST_REALTIME_CORE_HANDLER (speech_started);
GST_REALTIME_CORE_HANDLER (speech_stopped);
GST_REALTIME_CORE_HANDLER (timeout_triggered);
GST_REALTIME_CORE_HANDLER (committed);
GST_REALTIME_CORE_HANDLER (response_created);
GST_REALTIME_CORE_HANDLER (response_done);
GST_REALTIME_CORE_HANDLER (reply_text);
GST_REALTIME_CORE_HANDLER (user_transcript);
GST_REALTIME_CORE_HANDLER (transcript_failed);
GST_REALTIME_CORE_HANDLER (transcript_segment);
GST_REALTIME_CORE_HANDLER (function_call);
GST_REALTIME_CORE_HANDLER (error);
GST_REALTIME_CORE_HANDLER (mcp_item);
GST_REALTIME_CORE_HANDLER (mcp_result);

G_END_DECLS

#endif /* __GST_REALTIME_CORE_PRIV_H__ */

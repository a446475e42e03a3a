/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation core: the protocol decisions of a session, with no
 * thread, lock, socket or pad. Inputs go in (parsed server events, app
 * requests, EOS and flush decisions, the clock's now); actions come out,
 * to be polled and carried out by the element: client events to send,
 * notices for the application, warnings, errors, waits. It drives the
 * turns (text order, reply audio's place), the responses (arbitration)
 * and reads the timeline (server milliseconds to input time). Not
 * thread-safe: the element calls it under its lock. */

#ifndef __GST_REALTIME_CORE_H__
#define __GST_REALTIME_CORE_H__

#include "gstrealtimeprotocol.h"
#include "gstrealtimetimeline.h"
#include "gstrealtimeturns.h"

G_BEGIN_DECLS

typedef struct _GstRealtimeCore GstRealtimeCore;

typedef enum
{
  /* a client event, @event, to queue behind the audio already queued */
  GST_REALTIME_ACTION_SEND,
  /* tell the application about the server event (@notice) */
  GST_REALTIME_ACTION_NOTICE,
  /* a warning (@problem) about the server event */
  GST_REALTIME_ACTION_WARN,
  /* a fatal error (@problem): the element fails */
  GST_REALTIME_ACTION_FAIL,
  /* the session expired: the close that follows is not the user's problem */
  GST_REALTIME_ACTION_EXPIRED,
  /* speech over reply audio: call gst_realtime_core_barge_in() with now */
  GST_REALTIME_ACTION_BARGE_IN,
  /* idle outputs may move on to @position: nothing will come before it */
  GST_REALTIME_ACTION_ADVANCE,
  /* @count warnings were held back: report them as one */
  GST_REALTIME_ACTION_REPORT_HELD_BACK,
  /* call gst_realtime_core_take_held_back() in @delay_ms */
  GST_REALTIME_ACTION_REPORT_LATER,
} GstRealtimeActionType;

typedef enum
{
  GST_REALTIME_NOTICE_TRANSCRIPT,       /* @role, @final */
  GST_REALTIME_NOTICE_RESPONSE_DONE,
  GST_REALTIME_NOTICE_SERVER_ERROR,
  GST_REALTIME_NOTICE_FUNCTION_CALL,    /* a message and the signal */
  GST_REALTIME_NOTICE_DTMF,
  GST_REALTIME_NOTICE_RATE_LIMITS,
  GST_REALTIME_NOTICE_MCP,      /* @call, @failed, @item_id, @label, @name */
} GstRealtimeNotice;

typedef enum
{
  GST_REALTIME_PROBLEM_RESPONSE_FAILED,
  GST_REALTIME_PROBLEM_SERVER_ERROR,
  GST_REALTIME_PROBLEM_MCP_FAILED,      /* @call, @item_id, @label, @name */
  GST_REALTIME_PROBLEM_KEY_REFUSED,
  GST_REALTIME_PROBLEM_AUTHENTICATION,
  GST_REALTIME_PROBLEM_BETA_DISABLED,
  GST_REALTIME_PROBLEM_SESSION_CONFIG,
} GstRealtimeProblem;

typedef struct
{
  GstRealtimeActionType type;
  GstRealtimeNotice notice;
  GstRealtimeProblem problem;
  gchar *event;                 /* SEND */
  GstRealtimeTextRole role;     /* transcripts */
  gboolean final;
  gboolean call;                /* MCP: a call, not a list of tools */
  gboolean failed;
  gchar *item_id;
  gchar *label;
  gchar *name;
  GstRealtimeTime position;     /* ADVANCE */
  guint count;                  /* REPORT_HELD_BACK */
  guint delay_ms;               /* REPORT_LATER */
} GstRealtimeAction;

void gst_realtime_action_free (GstRealtimeAction * action);

/* @turns and @timeline become the core's; @config stays the caller's and
 * must outlive the core. */
GstRealtimeCore *gst_realtime_core_new (GstRealtimeTurns * turns,
    GstRealtimeTimeline * timeline, const GstRealtimeSessionConfig * config);
void gst_realtime_core_free (GstRealtimeCore * core);

GstRealtimeTurns *gst_realtime_core_get_turns (GstRealtimeCore * core);
GstRealtimeTimeline *gst_realtime_core_get_timeline (GstRealtimeCore * core);

/* Where the core's log lines go. The core has no GStreamer, so the element
 * hands it one that logs into a GStreamer debug category. @format and
 * @args as for g_logv(); @file, @function and @line are the core's. */
typedef void (*GstRealtimeCoreLogFunc) (GLogLevelFlags level,
    const gchar * file, const gchar * function, gint line,
    const gchar * format, va_list args, gpointer user_data);
/* NULL: GLib's log, in the `realtimecore` domain. */
void gst_realtime_core_set_log_func (GstRealtimeCore * core,
    GstRealtimeCoreLogFunc func, gpointer user_data);

/* The element starts: everything is forgotten, the conversation too, and
 * event ids start again. */
void gst_realtime_core_reset (GstRealtimeCore * core);
/* The connection is gone with what the server held. */
void gst_realtime_core_lose_session (GstRealtimeCore * core);
/* Drops what waits for the server: turns, replies, requests, calls. */
void gst_realtime_core_forget (GstRealtimeCore * core);

/* Live input; file mode: the element asks for each reply itself. */
void gst_realtime_core_set_input (GstRealtimeCore * core, gboolean live,
    gboolean file_mode);
/* Whether upstream is live, as its latency says; file mode stays. */
void gst_realtime_core_set_live (GstRealtimeCore * core, gboolean live);
/* The input's first caps: file input (not @live) in a conversation the
 * server's VAD cuts into turns goes in file mode, one turn at a time, and
 * the server's own replies are turned off in @config (the caller's, the
 * core's configuration). Returns whether file mode applies. */
gboolean gst_realtime_core_choose_file_mode (GstRealtimeCore * core,
    gboolean live, GstRealtimeSessionConfig * config);
gboolean gst_realtime_core_in_file_mode (GstRealtimeCore * core);
/* File mode: when, in monotonic µs, the audio appended so far has been
 * heard at real time (with a little lead), counted from the first call
 * after each restart; a reply to wait for restarts it. */
gint64 gst_realtime_core_pace (GstRealtimeCore * core, gint64 now_us);
void gst_realtime_core_restart_pace (GstRealtimeCore * core);

/* Renewal. session.created said the server ends the session at
 * @expires_at (epoch seconds; 0 or less: never), now being @real_now_us
 * (real time) and @now_us (monotonic): returns in how many ms to look at
 * renewal again, 0 for never. */
guint gst_realtime_core_note_expiry (GstRealtimeCore * core,
    gint64 expires_at, gint64 real_now_us, gint64 now_us);
/* Whether a fresh session is to take over now: near the end, connected,
 * at a turn boundary, and once per session. */
gboolean gst_realtime_core_renewal_due (GstRealtimeCore * core,
    gboolean connected, gint64 now_us);
/* A new connection is configured: a renewal in progress is over. */
void gst_realtime_core_renewal_over (GstRealtimeCore * core);

/* A new session after the first: it is told the conversation so far, the
 * last turns' final text. */
void gst_realtime_core_carry_over (GstRealtimeCore * core);

/* Takes the next action to carry out, or NULL; free it. */
GstRealtimeAction *gst_realtime_core_poll_action (GstRealtimeCore * core);

gchar *gst_realtime_core_next_event_id (GstRealtimeCore * core);
/* A session.update of @config; errors about it are fatal. */
gchar *gst_realtime_core_build_session_update (GstRealtimeCore * core);

/* A server event, at @now_us (monotonic µs, for the warning limit).
 * Session created and reply audio are the element's: the core ignores
 * them; of session updated it counts the drain's barriers. Returns
 * whether it handled @event. */
gboolean gst_realtime_core_handle_event (GstRealtimeCore * core,
    const GstRealtimeServerEvent * event, gint64 now_us);

/* Whether a warning may reach the bus at @now_us (a storm may not). */
gboolean gst_realtime_core_admit_warning (GstRealtimeCore * core,
    gint64 now_us);
/* How many warnings were held back and not reported yet; resets it. */
guint gst_realtime_core_take_held_back (GstRealtimeCore * core);

/* Reply audio: @item_id's first buffer was queued at @start; audio of the
 * item playing is queued up to @end. */
void gst_realtime_core_play_item (GstRealtimeCore * core,
    const gchar * item_id, GstRealtimeTime start);
void gst_realtime_core_play_until (GstRealtimeCore * core,
    GstRealtimeTime end);
/* The user speaks over the reply audio at @now (the output's position):
 * returns whether audio was still to be heard and must be stopped. */
gboolean gst_realtime_core_barge_in (GstRealtimeCore * core,
    GstRealtimeTime now);

/* Application requests */
void gst_realtime_core_commit (GstRealtimeCore * core,
    gboolean want_response);
void gst_realtime_core_clear_input (GstRealtimeCore * core);
/* The server's buffer goes: audio appended so far is not to be committed. */
void gst_realtime_core_discard_input (GstRealtimeCore * core);
void gst_realtime_core_request_response (GstRealtimeCore * core,
    const gchar * overrides);
void gst_realtime_core_request_out_of_band (GstRealtimeCore * core,
    const gchar * overrides);
void gst_realtime_core_cancel_response (GstRealtimeCore * core);
/* Returns whether @call_id was an open call. */
gboolean gst_realtime_core_function_call_output (GstRealtimeCore * core,
    const gchar * call_id, const gchar * output);

/* EOS: once the server heard all the audio, commits what it did not end
 * (or, without VAD, all that is not committed). */
void gst_realtime_core_commit_rest (GstRealtimeCore * core);

/* A session.update that changes nothing, queued behind the audio: it is
 * answered after the events that audio causes. Returns the count of
 * session.updated events to wait past. */
guint gst_realtime_core_queue_barrier (GstRealtimeCore * core);
gboolean gst_realtime_core_barrier_heard (GstRealtimeCore * core,
    guint updates);

/* The EOS drain, on the connection of @epoch; @heard: a barrier was heard
 * already (file mode settled its last turn). */
void gst_realtime_core_drain_start (GstRealtimeCore * core, gboolean heard,
    guint epoch);
/* Sends what the drain needs next: a barrier under VAD, then the commit
 * of the rest; after a new connection (@session_epoch moved on), again.
 * Returns whether the rest is committed on this connection. */
gboolean gst_realtime_core_drain_step (GstRealtimeCore * core,
    guint session_epoch, gboolean connected, guint connection_epoch);

/* What waits for the server: a turn in file mode holds the input. */
gboolean gst_realtime_core_turn_pending (GstRealtimeCore * core);
/* A commit, response or turn is open: nothing may be stamped before it. */
gboolean gst_realtime_core_replies_pending (GstRealtimeCore * core);
/* Appended audio the server committed, in ms. */
gint64 gst_realtime_core_get_committed_ms (GstRealtimeCore * core);

G_END_DECLS

#endif /* __GST_REALTIME_CORE_H__ */

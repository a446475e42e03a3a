/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* An hour of speech through a server whose sessions last two seconds, at
 * faster than real time: every turn is transcribed on its speech across
 * the renewals, and the process's memory stays flat. */

#include <stdio.h>
#include <string.h>

#include "realtimefixture.h"

#define TURN_SECONDS 2.0
#define TONE_SECONDS 0.6
#define BUFFER_SECONDS 0.1
/* SOAK_SECONDS overrides the length, for a quick run */
#define DEFAULT_SOAK_SECONDS 3600
#define SESSION_LIFETIME_MS 2000
/* The process may grow this much between a quarter and the end: the
 * test's own record of the text is about 150 kB. */
#define MAX_GROWTH_KB 1024
#define END_TIMEOUT (600 * GST_SECOND)
/* how much faster than real time the audio comes */
#define PACE 100

static guint64
rss_kb (void)
{
  FILE *status = fopen ("/proc/self/status", "r");
  gchar line[256];
  guint64 kb = 0;

  fail_unless (status != NULL);
  while (fgets (line, sizeof (line), status))
    if (g_str_has_prefix (line, "VmRSS:"))
      kb = g_ascii_strtoull (line + 6, NULL, 10);
  fclose (status);
  return kb;
}

static RealtimeTestServer *
start_expiring_server (void)
{
  RealtimeTestServer *server = realtime_test_server_new ();

  realtime_test_server_set_api_key (server, TEST_KEY);
  /* an hour of appends would otherwise pile up in the server */
  realtime_test_server_set_drop_events (server, TRUE);
  realtime_test_server_set_session_lifetime_ms (server,
      g_getenv ("SOAK_LIFETIME_MS") ? atoi (g_getenv ("SOAK_LIFETIME_MS")) :
      SESSION_LIFETIME_MS);
  fail_unless (realtime_test_server_start (server, 0, NULL, NULL));
  return server;
}

/* What the text pad gave, per turn; nothing else is kept, so that the
 * process's memory is the element's. */
typedef struct
{
  GMutex lock;
  GPtrArray *turn_text;         /* gchar * per turn */
  GArray *turn_pts;             /* GstClockTime of each turn's first text */
  GstClockTime last_pts;
  gboolean monotonic;
} TextLog;

static GstPadProbeReturn
log_text (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  TextLog *log = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  guint turn = (GST_BUFFER_PTS (buffer) + 500 * GST_MSECOND) /
      (GstClockTime) (TURN_SECONDS * GST_SECOND);
  GstMapInfo map;
  gchar *text;

  gst_buffer_map (buffer, &map, GST_MAP_READ);
  g_mutex_lock (&log->lock);
  log->monotonic &= !GST_CLOCK_TIME_IS_VALID (log->last_pts)
      || GST_BUFFER_PTS (buffer) >= log->last_pts;
  log->last_pts = GST_BUFFER_PTS (buffer);
  if (turn >= log->turn_text->len) {
    g_ptr_array_set_size (log->turn_text, turn + 1);
    g_array_set_size (log->turn_pts, turn + 1);
    g_array_index (log->turn_pts, GstClockTime, turn) = GST_BUFFER_PTS (buffer);
  }
  text = g_ptr_array_index (log->turn_text, turn);
  g_ptr_array_index (log->turn_text, turn) = g_strdup_printf ("%s%.*s",
      text ? text : "", (gint) map.size, (gchar *) map.data);
  g_free (text);
  g_mutex_unlock (&log->lock);
  gst_buffer_unmap (buffer, &map);
  return GST_PAD_PROBE_OK;
}

/* Pushes a turn of tone and silence, no faster than PACE times real
 * time: the rate of the source, as a live one would have. */
static void
push_turn (GstElement * appsrc, guint64 * offset, gint64 start)
{
  gdouble pushed;
  gint64 due;

  for (pushed = 0; pushed < TURN_SECONDS - 1e-6; pushed += BUFFER_SECONDS)
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (appsrc),
            make_audio (BUFFER_SECONDS, pushed < TONE_SECONDS, offset)),
        GST_FLOW_OK);
  due = start + *offset * G_USEC_PER_SEC / RATE / PACE;
  if (due > g_get_monotonic_time ())
    g_usleep (due - g_get_monotonic_time ());
}

/* Messages are not kept: a bus nobody reads would grow. A warning or an
 * error fails the test. */
static void
drop_messages (GstBus * bus)
{
  GstMessage *msg;

  while ((msg = gst_bus_pop (bus))) {
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR
        || GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING, "%" GST_PTR_FORMAT,
        msg);
    gst_message_unref (msg);
  }
}

/* Every turn has its transcript, which starts on the turn's tone. */
static void
assert_every_turn_transcribed (TextLog * log, guint n_turns)
{
  guint i;

  fail_unless (log->monotonic);
  fail_unless_equals_int (log->turn_text->len, n_turns);
  for (i = 0; i < n_turns; i++) {
    const gchar *text = g_ptr_array_index (log->turn_text, i);
    GstClockTime pts = g_array_index (log->turn_pts, GstClockTime, i);
    GstClockTime tone = i * TURN_SECONDS * GST_SECOND;

    fail_unless (text && g_regex_match_simple ("^Transcript of turn \\d+\\.$",
            text, 0, 0), "turn %u: '%s'", i, text);
    /* the VAD's prefix padding puts it up to 300 ms before */
    fail_unless (pts + 300 * GST_MSECOND >= tone
        && pts <= tone + 50 * GST_MSECOND, "turn %u at %" GST_TIME_FORMAT
        ", its tone at %" GST_TIME_FORMAT, i, GST_TIME_ARGS (pts),
        GST_TIME_ARGS (tone));
  }
}

GST_START_TEST (test_hour_through_renewals)
{
  const gchar *seconds = g_getenv ("SOAK_SECONDS");
  guint n_turns = (seconds ? atoi (seconds) : DEFAULT_SOAK_SECONDS) /
      TURN_SECONDS;
  RealtimeTestServer *server = start_expiring_server ();
  gchar *url = realtime_test_server_get_url (server);
  GstElement *pipeline = make_pipeline ("appsrc name=in format=time block=true "
      "caps=audio/x-raw,format=S16LE,rate=24000,channels=1,layout=interleaved "
      "! realtimeai name=ai url=\"%s\" api-key=" TEST_KEY " "
      "session-type=transcription drain-timeout=60000 "
      "ai.src ! fakesink sync=false ai.text_src ! fakesink name=text "
      "sync=false", url);
  GstElement *appsrc = gst_bin_get_by_name (GST_BIN (pipeline), "in");
  GstElement *text_sink = gst_bin_get_by_name (GST_BIN (pipeline), "text");
  GstPad *text_pad = gst_element_get_static_pad (text_sink, "sink");
  TextLog log = { {0,}, g_ptr_array_new_with_free_func (g_free),
  g_array_new (FALSE, TRUE, sizeof (GstClockTime)), GST_CLOCK_TIME_NONE,
  TRUE
  };
  guint64 offset = 0, quarter_kb = 0, end_kb;
  gint64 start = g_get_monotonic_time ();
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *end;
  guint i, sessions;

  gst_pad_add_probe (text_pad, GST_PAD_PROBE_TYPE_BUFFER, log_text, &log, NULL);
  g_object_set (appsrc, "max-bytes", (guint64) RATE * 2, NULL);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  for (i = 0; i < n_turns; i++) {
    push_turn (appsrc, &offset, start);
    drop_messages (bus);
    if (i == n_turns / 4)
      quarter_kb = rss_kb ();
    if (i % (n_turns / 10) == 0)
      GST_INFO ("turn %u: RSS %" G_GUINT64_FORMAT " kB", i, rss_kb ());
  }
  gst_app_src_end_of_stream (GST_APP_SRC (appsrc));
  end = gst_bus_timed_pop_filtered (bus, END_TIMEOUT,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING);
  end_kb = rss_kb ();
  sessions = realtime_test_server_get_connection_count (server);
  /* stopped before any check can fail: with CK_FORK=no a failure leaves
   * the test, and gst_deinit() at exit would wait for ever on the pads'
   * tasks of a pipeline still playing */
  gst_element_set_state (pipeline, GST_STATE_NULL);

  fail_unless (end && GST_MESSAGE_TYPE (end) == GST_MESSAGE_EOS,
      "no clean EOS: %" GST_PTR_FORMAT, end);
  gst_message_unref (end);
  GST_INFO ("%u turns, %u sessions, RSS %" G_GUINT64_FORMAT " kB at a "
      "quarter, %" G_GUINT64_FORMAT " kB at the end", n_turns, sessions,
      quarter_kb, end_kb);
  fail_unless (sessions >= 10, "only %u sessions", sessions);
  assert_every_turn_transcribed (&log, n_turns);
  fail_unless (end_kb <= quarter_kb + MAX_GROWTH_KB, "RSS grew from %"
      G_GUINT64_FORMAT " kB to %" G_GUINT64_FORMAT " kB", quarter_kb, end_kb);

  gst_object_unref (text_pad);
  gst_object_unref (text_sink);
  gst_object_unref (appsrc);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  realtime_test_server_free (server);
  g_ptr_array_unref (log.turn_text);
  g_array_unref (log.turn_pts);
  g_free (url);
}

GST_END_TEST;

static Suite *
soak_suite (void)
{
  Suite *s = suite_create ("soak");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 900);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_hour_through_renewals);
  return s;
}

GST_CHECK_MAIN (soak);

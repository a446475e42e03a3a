/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* realtime-bench-client: realtimeai as one client process, measured by
 * realtime-bench-peers beside the other clients, each in a process of its
 * own against a server in another.
 *
 *   realtime-bench-client [OPTION...] URL INPUT CA-FILE
 *
 * Each session is appsrc (live) ! realtimeai chunk-duration=100 ! appsink,
 * the key in OPENAI_API_KEY. INPUT (S16LE, 24 kHz, mono) goes in 20 ms
 * buffers, as audio sources push them, once the session is up:
 * - by default as fast as the element takes them (a live source, so
 *   file-mode pacing does not apply), each session from its own thread;
 * - with --seconds S at real time for S seconds, one pusher thread for
 *   all sessions, a buffer for each every 20 ms, as if each had a sound
 *   card; the pusher's worst lateness is reported.
 * At EOS of every session it prints "in=BYTES reply=BYTES stream_cpu_s=S
 * lag_ms=MS": the CPU of the process from the sessions' configuration to
 * their EOS, and the pusher's lateness. */

#include <gst/gst.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>

#include <stdio.h>
#include <sys/resource.h>

#define RATE 24000

typedef struct
{
  GstElement *pipeline;
  GstAppSrc *src;
  FILE *input;
  GThread *thread;
  guint64 pushed;               /* bytes */
  guint64 reply_bytes;          /* written by the appsink's thread */
} Session;

static gint buffer_ms = 20;
static gint n_sessions = 1;
static gint seconds = 0;

static GstFlowReturn
on_reply_sample (GstAppSink * sink, gpointer user_data)
{
  Session *s = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (!sample)
    return GST_FLOW_FLUSHING;
  s->reply_bytes += gst_buffer_get_size (gst_sample_get_buffer (sample));
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static gboolean
session_init (Session * s, const gchar * url, const gchar * input,
    const gchar * ca_file)
{
  GstAppSinkCallbacks callbacks = { NULL, };
  GError *error = NULL;
  GstElement *sink;
  gchar *launch;

  if (!(s->input = fopen (input, "rb"))) {
    g_printerr ("cannot open %s\n", input);
    return FALSE;
  }
  /* block=true: the pusher waits for the element instead of queueing the
   * whole input in appsrc */
  launch = g_strdup_printf ("appsrc name=in is-live=true format=time "
      "block=true max-bytes=%u caps=audio/x-raw,format=S16LE,rate=%u,"
      "channels=1,layout=interleaved ! realtimeai url=\"%s\" "
      "tls-ca-file=\"%s\" chunk-duration=100 interrupt-response=false "
      "name=ai ai.src ! appsink name=out sync=false async=false "
      "ai.text_src ! fakesink sync=false async=false", RATE * 2, RATE, url,
      ca_file);
  s->pipeline = gst_parse_launch_full (launch, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &error);
  g_free (launch);
  if (!s->pipeline) {
    g_printerr ("could not build the pipeline: %s\n", error->message);
    g_error_free (error);
    return FALSE;
  }
  s->src = GST_APP_SRC (gst_bin_get_by_name (GST_BIN (s->pipeline), "in"));
  sink = gst_bin_get_by_name (GST_BIN (s->pipeline), "out");
  callbacks.new_sample = on_reply_sample;
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, s, NULL);
  gst_object_unref (sink);
  return gst_element_set_state (s->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE;
}

static void
session_clear (Session * s)
{
  if (s->pipeline) {
    /* after an error, this unblocks the pusher */
    gst_element_set_state (s->pipeline, GST_STATE_NULL);
    if (s->thread)
      g_thread_join (s->thread);
    gst_object_unref (s->src);
    gst_object_unref (s->pipeline);
  }
  if (s->input)
    fclose (s->input);
}

/* Pushes the next buffer of @s's input; FALSE at its end or once an
 * error stopped the pipeline. */
static gboolean
push_one (Session * s)
{
  gsize size = RATE * buffer_ms / 1000 * 2, n;
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  n = fread (map.data, 1, size, s->input) & ~1;
  gst_buffer_unmap (buffer, &map);
  if (n == 0) {
    gst_buffer_unref (buffer);
    return FALSE;
  }
  gst_buffer_set_size (buffer, n);
  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale_int (s->pushed / 2,
      GST_SECOND, RATE);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale_int (n / 2,
      GST_SECOND, RATE);
  s->pushed += n;
  return gst_app_src_push_buffer (s->src, buffer) == GST_FLOW_OK;
}

/* A session's pusher thread: the rest of its input as fast as it goes. */
static gpointer
push_fast (gpointer data)
{
  Session *s = data;

  while (push_one (s));
  gst_app_src_end_of_stream (s->src);
  return NULL;
}

/* The one pusher of --seconds: a buffer for each session every
 * --buffer-ms; returns the worst lateness of a tick's last push, in µs. */
static gint64
push_realtime (Session * sessions)
{
  gint64 start = g_get_monotonic_time (), deadline, lag, max_lag = 0;
  gint ticks = seconds * 1000 / buffer_ms, i, j;

  for (i = 1; i < ticks; i++) {
    deadline = start + i * (gint64) buffer_ms * 1000;
    if (deadline > g_get_monotonic_time ())
      g_usleep (deadline - g_get_monotonic_time ());
    for (j = 0; j < n_sessions; j++)
      push_one (&sessions[j]);
    lag = g_get_monotonic_time () - deadline;
    max_lag = MAX (max_lag, lag);
  }
  for (j = 0; j < n_sessions; j++)
    gst_app_src_end_of_stream (sessions[j].src);
  return max_lag;
}

static gdouble
process_cpu_s (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
      ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* The first message of @types on @s's bus, or NULL after @timeout. */
static GstMessage *
pop (Session * s, GstMessageType types, GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (s->pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, timeout,
      types | GST_MESSAGE_ERROR);

  gst_object_unref (bus);
  if (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *error = NULL;

    gst_message_parse_error (msg, &error, NULL);
    g_printerr ("error: %s\n", error->message);
    g_error_free (error);
    gst_message_unref (msg);
    return NULL;
  }
  return msg;
}

/* Waits for the element's "realtime-connection" message that says the
 * session is configured: audio pushed before would go to its backlog,
 * which a live source faster than real time overflows. */
static gboolean
wait_connected (Session * s)
{
  GstMessage *msg;
  const GstStructure *st;
  gboolean connected = FALSE;

  while (!connected && (msg = pop (s, GST_MESSAGE_ELEMENT, 30 * GST_SECOND))) {
    st = gst_message_get_structure (msg);
    connected = gst_structure_has_name (st, "realtime-connection")
        && !g_strcmp0 (gst_structure_get_string (st, "state"), "connected");
    gst_message_unref (msg);
  }
  return connected;
}

/* EOS: the element has sent all audio and pushed every reply. */
static gboolean
wait_eos (Session * s)
{
  GstMessage *msg = pop (s, GST_MESSAGE_EOS, 600 * GST_SECOND);

  if (msg)
    gst_message_unref (msg);
  return msg != NULL;
}

static gboolean
parse_options (int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    {"buffer-ms", 0, 0, G_OPTION_ARG_INT, &buffer_ms,
        "Milliseconds of audio per buffer pushed (default 20)", "MS"},
    {"sessions", 0, 0, G_OPTION_ARG_INT, &n_sessions,
        "Concurrent sessions (default 1)", "K"},
    {"seconds", 0, 0, G_OPTION_ARG_INT, &seconds,
        "Push at real time for S seconds (default: all, at once)", "S"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("URL INPUT CA-FILE");
  GError *error = NULL;
  gboolean ok;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  ok = g_option_context_parse (ctx, argc, argv, &error);
  if (!ok)
    g_printerr ("%s\n", error->message);
  g_clear_error (&error);
  g_option_context_free (ctx);
  return ok && *argc == 4 && buffer_ms > 0 && n_sessions > 0 && seconds >= 0;
}

int
main (int argc, char **argv)
{
  Session *sessions;
  guint64 in = 0, reply = 0;
  gint64 lag = 0;
  gdouble cpu0 = 0;
  gboolean ok = TRUE;
  gint i;

  /* loopback needs no proxy; libproxy's look-ups would be measured too */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);
  if (!parse_options (&argc, &argv))
    return 2;
  sessions = g_new0 (Session, n_sessions);
  for (i = 0; i < n_sessions && ok; i++)
    ok = session_init (&sessions[i], argv[1], argv[2], argv[3])
        /* the first buffer brings the caps */
        && push_one (&sessions[i]);
  for (i = 0; i < n_sessions && ok; i++)
    ok = wait_connected (&sessions[i]);
  cpu0 = process_cpu_s ();
  if (ok && seconds > 0)
    lag = push_realtime (sessions);
  for (i = 0; i < n_sessions && ok && seconds == 0; i++)
    sessions[i].thread = g_thread_new ("pusher", push_fast, &sessions[i]);
  for (i = 0; i < n_sessions && ok; i++)
    ok = wait_eos (&sessions[i]);
  cpu0 = process_cpu_s () - cpu0;
  for (i = 0; i < n_sessions; i++) {
    session_clear (&sessions[i]);
    in += sessions[i].pushed;
    reply += sessions[i].reply_bytes;
  }
  if (ok)
    g_print ("in=%" G_GUINT64_FORMAT " reply=%" G_GUINT64_FORMAT
        " stream_cpu_s=%.3f lag_ms=%.1f\n", in, reply, cpu0, lag / 1000.0);
  g_free (sessions);
  return ok ? 0 : 1;
}

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
 *   realtime-bench-client URL INPUT CA-FILE   (the key in OPENAI_API_KEY)
 *
 * appsrc (live) ! realtimeai chunk-duration=100 ! appsink: INPUT (S16LE,
 * 24 kHz, mono) goes in 20 ms buffers, as audio sources push, as fast as
 * the element takes them once the session is up (a live source: file-mode
 * pacing does not apply). Prints "in=BYTES reply=BYTES" at EOS. */

#include <gst/gst.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>

#include <stdio.h>

#define RATE 24000
#define BUFFER_BYTES (RATE / 50 * 2)    /* 20 ms */

static guint64 reply_bytes;     /* written by the appsink's thread */

static GstFlowReturn
on_reply_sample (GstAppSink * sink, gpointer user_data)
{
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (!sample)
    return GST_FLOW_FLUSHING;
  reply_bytes += gst_buffer_get_size (gst_sample_get_buffer (sample));
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static GstElement *
make_pipeline (const gchar * url, const gchar * ca_file)
{
  GstAppSinkCallbacks callbacks = { NULL, };
  GError *error = NULL;
  GstElement *pipeline, *sink;
  gchar *launch;

  /* block=true: the pusher waits for the element instead of queueing the
   * whole input in appsrc; the key comes from OPENAI_API_KEY */
  launch = g_strdup_printf ("appsrc name=in is-live=true format=time "
      "block=true max-bytes=%u caps=audio/x-raw,format=S16LE,rate=%u,"
      "channels=1,layout=interleaved ! realtimeai url=\"%s\" "
      "tls-ca-file=\"%s\" chunk-duration=100 interrupt-response=false "
      "name=ai ai.src ! appsink name=out sync=false async=false "
      "ai.text_src ! fakesink sync=false async=false", RATE * 2, RATE, url,
      ca_file);
  pipeline = gst_parse_launch_full (launch, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &error);
  g_free (launch);
  if (!pipeline) {
    g_printerr ("could not build the pipeline: %s\n", error->message);
    g_error_free (error);
    return NULL;
  }
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  callbacks.new_sample = on_reply_sample;
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, NULL, NULL);
  gst_object_unref (sink);
  return pipeline;
}

typedef struct
{
  GstAppSrc *src;
  FILE *input;
  guint64 pushed;
} Pusher;

/* Pushes the next 20 ms of @p's input; FALSE at its end or once an
 * error stopped the pipeline. */
static gboolean
push_one (Pusher * p)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, BUFFER_BYTES, NULL);
  GstMapInfo map;
  gsize n;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  n = fread (map.data, 1, BUFFER_BYTES, p->input) & ~1;
  gst_buffer_unmap (buffer, &map);
  if (n == 0) {
    gst_buffer_unref (buffer);
    return FALSE;
  }
  gst_buffer_set_size (buffer, n);
  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale_int (p->pushed / 2,
      GST_SECOND, RATE);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale_int (n / 2,
      GST_SECOND, RATE);
  p->pushed += n;
  return gst_app_src_push_buffer (p->src, buffer) == GST_FLOW_OK;
}

/* The pusher thread: the rest of the input, then EOS. */
static gpointer
push_file (gpointer data)
{
  Pusher *p = data;

  while (push_one (p));
  gst_app_src_end_of_stream (p->src);
  return NULL;
}

/* Waits for the element's "realtime-connection" message that says the
 * session is configured: audio pushed before would go to its backlog,
 * which a live source faster than real time overflows. */
static gboolean
wait_connected (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  gboolean connected = FALSE;
  GstMessage *msg;

  while (!connected && (msg = gst_bus_timed_pop_filtered (bus,
              30 * GST_SECOND, GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR))) {
    const GstStructure *s = gst_message_get_structure (msg);

    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gst_bus_post (bus, msg);  /* for wait_eos to print */
      break;
    }
    connected = gst_structure_has_name (s, "realtime-connection")
        && !g_strcmp0 (gst_structure_get_string (s, "state"), "connected");
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return connected;
}

/* Waits for EOS: the element has sent all audio and pushed every reply. */
static gboolean
wait_eos (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 600 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gboolean eos = msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;

  if (msg && !eos) {
    GError *error = NULL;

    gst_message_parse_error (msg, &error, NULL);
    g_printerr ("error: %s\n", error->message);
    g_error_free (error);
  }
  if (msg)
    gst_message_unref (msg);
  gst_object_unref (bus);
  return eos;
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *src;
  Pusher pusher = { NULL, };
  GThread *thread = NULL;
  gboolean ok;

  /* loopback needs no proxy; libproxy's look-ups would be measured too */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);
  gst_init (&argc, &argv);
  if (argc != 4) {
    g_printerr ("usage: %s URL INPUT CA-FILE\n", argv[0]);
    return 2;
  }
  if (!(pusher.input = fopen (argv[2], "rb"))) {
    g_printerr ("cannot open %s\n", argv[2]);
    return 1;
  }
  if (!(pipeline = make_pipeline (argv[1], argv[3])))
    return 1;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "in");
  ok = gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE;
  pusher.src = GST_APP_SRC (src);
  /* the first buffer brings the caps */
  if (ok && push_one (&pusher) && wait_connected (pipeline))
    thread = g_thread_new ("pusher", push_file, &pusher);
  ok = ok && wait_eos (pipeline);
  /* after an error, this unblocks the pusher */
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (thread)
    g_thread_join (thread);
  if (ok)
    g_print ("in=%" G_GUINT64_FORMAT " reply=%" G_GUINT64_FORMAT "\n",
        pusher.pushed, reply_bytes);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  fclose (pusher.input);
  return ok ? 0 : 1;
}

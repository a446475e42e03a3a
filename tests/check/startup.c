/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Start-up: pipelines whose caps come only in PLAYING (a live source, a
 * live mixer, an encoder held by a syncing identity) run to the end, both
 * in gst-launch-1.0, which waits in PAUSED for the connection's progress,
 * and in an application that goes straight to PLAYING. */

#include <string.h>

#include "realtimefixture.h"

typedef struct
{
  const gchar *name;
  const gchar *before;          /* up to the element's sink */
  const gchar *after;           /* more branches */
  const gchar *input_format;    /* what the session must end up with */
} Launch;

static const Launch launches[] = {
  /* telephony: a live source's caps, and the encoder's, come in PLAYING */
  {"live-mulaw", "audiotestsrc is-live=true num-buffers=25 ! "
        "audio/x-raw,rate=8000 ! mulawenc", "", "audio/pcmu"},
  /* a live aggregator negotiates once it runs */
  {"live-mixer", "audiomixer name=m ! "
        "audio/x-raw,rate=24000,channels=1,format=S16LE",
      "audiotestsrc is-live=true num-buffers=70 ! m.", "audio/pcm"},
  /* a file held in PAUSED before its encoder has set caps */
  {"synced-file", "audiotestsrc num-buffers=25 ! identity sync=true ! "
        "audio/x-raw,rate=8000 ! mulawenc", "", "audio/pcmu"},
};

/* As assert_eos waits: longer under valgrind. */
static GstClockTime
end_timeout (void)
{
  return PIPELINE_TIMEOUT * timeout_multiplier ();
}

/* One run of a pipeline against a server of its own. */
typedef struct
{
  const Launch *launch;
  RealtimeTestServer *server;
  gchar *text_path;
  gchar *description;
} Run;

static void
run_setup (Run * run, const Launch * launch, const gchar * how)
{
  gchar *name = g_strdup_printf ("startup-%s-%s.txt", launch->name, how);
  gchar *url;

  run->launch = launch;
  run->server = start_server (0);
  run->text_path = g_build_filename (g_getenv ("REALTIME_TEST_OUTPUT"), name,
      NULL);
  url = realtime_test_server_get_url (run->server);
  run->description = g_strdup_printf ("%s ! realtimeai name=rt url=%s "
      "api-key=" TEST_KEY " rt.src ! fakesink rt.text_src ! filesink "
      "location=\"%s\" %s", launch->before, url, run->text_path, launch->after);
  g_free (url);
  g_free (name);
}

/* The pipeline talked to the server in the input's format and wrote the
 * reply to the speech cut off by EOS. */
static void
run_check_and_free (Run * run)
{
  guint n = realtime_test_server_count_client_events (run->server,
      "session.update");
  gchar *format = NULL, *text;

  /* the last update that names a format (the EOS barrier names none) */
  while (n-- > 0 && !format)
    format = client_event_value (run->server, "session.update", n,
        "$.session.audio.input.format.type");
  fail_unless_equals_string (format, run->launch->input_format);
  fail_unless (g_file_get_contents (run->text_path, &text, NULL, NULL),
      "%s: no text written", run->launch->name);
  /* a line a reply; a live mixer starved under load (valgrind) may cut
   * the tone into more turns */
  fail_unless (g_regex_match_simple ("^Reply to turn 1\\.\\n"
          "(Reply to turn \\d+\\.\\n)*$", text, 0, 0), "%s: got '%s'",
      run->launch->name, text);

  g_free (text);
  g_free (format);
  g_free (run->description);
  g_free (run->text_path);
  realtime_test_server_free (run->server);
}

/* gst-launch-1.0 runs it to EOS; `timeout` ends it if it hangs. */
static void
run_gst_launch (const Launch * launch)
{
  Run run;
  gchar *command, *out = NULL, *err = NULL, **argv;
  GError *error = NULL;
  gint status;

  run_setup (&run, launch, "launch");
  command = g_strdup_printf ("timeout -k 5 %u gst-launch-1.0 %s",
      (guint) (end_timeout () / GST_SECOND), run.description);
  fail_unless (g_shell_parse_argv (command, NULL, &argv, &error));
  fail_unless (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
          NULL, &out, &err, &status, &error), "%s", error ? error->message :
      "");
  fail_unless (g_spawn_check_wait_status (status, NULL),
      "%s: gst-launch-1.0 did not end (status %d):\n%s\n%s", launch->name,
      status, out, err);
  fail_unless (strstr (out, "Got EOS"), "%s: no EOS:\n%s", launch->name, out);
  run_check_and_free (&run);

  g_strfreev (argv);
  g_free (out);
  g_free (err);
  g_free (command);
}

/* An application sets PLAYING at once and waits for EOS. */
static void
run_app (const Launch * launch)
{
  Run run;
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;

  run_setup (&run, launch, "app");
  pipeline = make_pipeline ("%s", run.description);
  bus = gst_element_get_bus (pipeline);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, end_timeout (),
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
      "%s: the pipeline did not reach EOS", launch->name);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  run_check_and_free (&run);

  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_START_TEST (test_gst_launch_caps_in_playing)
{
  run_gst_launch (&launches[__i__]);
}

GST_END_TEST;

GST_START_TEST (test_app_straight_to_playing)
{
  run_app (&launches[__i__]);
}

GST_END_TEST;

static Suite *
startup_suite (void)
{
  Suite *s = suite_create ("startup");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  /* a plugin built with a sanitizer does not load into gst-launch-1.0 */
  if (g_strcmp0 (g_getenv ("REALTIME_PLUGIN_LOADS_ANYWHERE"), "0") != 0)
    tcase_add_loop_test (tc, test_gst_launch_caps_in_playing, 0,
        G_N_ELEMENTS (launches));
  tcase_add_loop_test (tc, test_app_straight_to_playing, 0,
      G_N_ELEMENTS (launches));
  return s;
}

GST_CHECK_MAIN (startup);

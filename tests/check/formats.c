/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* G.711 telephony audio in and out, negotiated with downstream. */

#include <gst/base/gstbasesink.h>

#include "realtimefixture.h"

#define INPUT_FORMAT "$.session.audio.input.format.type"
#define OUTPUT_FORMAT "$.session.audio.output.format.type"

static const gchar *
sample_caps_name (GstElement * appsink)
{
  GstSample *sample = gst_base_sink_get_last_sample (GST_BASE_SINK (appsink));
  const gchar *name;

  fail_unless (sample != NULL, "no reply audio");
  name = gst_structure_get_name (gst_caps_get_structure
      (gst_sample_get_caps (sample), 0));
  gst_sample_unref (sample);
  /* names of caps structures are interned */
  return g_intern_string (name);
}

static void
check_formats (const gchar * before, const gchar * audio_caps,
    const gchar * input_format, const gchar * output_format,
    const gchar * output_caps_name)
{
  Fixture f = { 0, };
  FixtureOptions options = { 0, };
  GPtrArray *text;
  gchar *all;

  options.before = before;
  options.audio_caps = audio_caps;
  fixture_setup_with (&f, &options);
  g_object_set (f.audio_sink, "enable-last-sample", TRUE, NULL);
  run_parts (&f, three_turns, N_THREE_TURNS);

  assert_client_event_value (f.server, "session.update", INPUT_FORMAT,
      input_format);
  assert_client_event_value (f.server, "session.update", OUTPUT_FORMAT,
      output_format);
  /* the server's VAD found the three turns in the G.711 audio */
  g_array_unref (server_turns (&f, 3));
  text = collect (f.text_sink);
  all = all_text (text);
  fail_unless_equals_string (all,
      "Reply to turn 1.\nReply to turn 2.\nReply to turn 3.\n");
  fail_unless_equals_string (sample_caps_name (f.audio_sink), output_caps_name);
  assert_client_events_valid (f.server, input_format + 6);
  g_free (all);
  g_ptr_array_unref (text);
  fixture_teardown (&f);
}

GST_START_TEST (test_mulaw_in_and_out)
{
  check_formats ("audioresample ! audio/x-raw,rate=8000 ! mulawenc",
      "audio/x-mulaw", "audio/pcmu", "audio/pcmu", "audio/x-mulaw");
}

GST_END_TEST;

GST_START_TEST (test_alaw_in_and_out)
{
  check_formats ("audioresample ! audio/x-raw,rate=8000 ! alawenc",
      NULL, "audio/pcma", "audio/pcma", "audio/x-alaw");
}

GST_END_TEST;

/* downstream takes PCM only: the reply comes as PCM */
GST_START_TEST (test_mulaw_in_pcm_out)
{
  check_formats ("audioresample ! audio/x-raw,rate=8000 ! mulawenc",
      "audio/x-raw", "audio/pcmu", "audio/pcm", "audio/x-raw");
}

GST_END_TEST;

static Suite *
formats_suite (void)
{
  Suite *s = suite_create ("formats");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_mulaw_in_and_out);
  tcase_add_test (tc, test_alaw_in_and_out);
  tcase_add_test (tc, test_mulaw_in_pcm_out);
  return s;
}

GST_CHECK_MAIN (formats);

/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Files: subtitles whose cues fall on the speech and hold its words, and
 * plain text a turn a line. */

#include <stdio.h>
#include <string.h>

#include "realtimefixture.h"

/* Writes three tone turns as a WAV file; returns its path. */
static gchar *
write_wav (const gchar * name)
{
  gchar *path = g_build_filename (g_getenv ("REALTIME_TEST_OUTPUT"), name,
      NULL);
  GstElement *pipeline = make_pipeline ("appsrc name=in format=time "
      "caps=audio/x-raw,format=S16LE,rate=24000,channels=1,layout=interleaved "
      "! wavenc ! filesink location=\"%s\"", path);
  GstElement *appsrc = gst_bin_get_by_name (GST_BIN (pipeline), "in");
  GstBus *bus = gst_element_get_bus (pipeline);
  guint64 offset = 0;
  GstMessage *msg;
  guint i;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (i = 0; i < N_THREE_TURNS; i++) {
    guint n = (guint) (three_turns[i].seconds / 0.02 + 0.5), j;

    for (j = 0; j < n; j++)
      gst_app_src_push_buffer (GST_APP_SRC (appsrc), make_audio (0.02,
              three_turns[i].tone, &offset));
  }
  gst_app_src_end_of_stream (GST_APP_SRC (appsrc));
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS);
  fail_unless (msg != NULL, "could not write %s", path);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (appsrc);
  gst_object_unref (pipeline);
  return path;
}

static void
play_to_eos (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, PIPELINE_TIMEOUT,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
      "the pipeline did not finish");
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
}

/* "HH:MM:SS,mmm" (SRT) or "HH:MM:SS.mmm" (WebVTT) to time */
static GstClockTime
parse_cue_time (const gchar * text)
{
  guint h, m, s, ms;

  fail_unless (sscanf (text, "%u:%u:%u%*[,.]%u", &h, &m, &s, &ms) == 4,
      "bad cue time '%s'", text);
  return ((h * 60 + m) * 60 + s) * GST_SECOND + ms * GST_MSECOND;
}

/* The start and end of each cue, from the " --> " lines. */
static GArray *
read_cues (const gchar * path)
{
  GArray *cues = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  gchar *contents, **lines;
  guint i;

  fail_unless (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    gchar *arrow = strstr (lines[i], " --> ");
    GstClockTime times[2];

    if (!arrow)
      continue;
    times[0] = parse_cue_time (lines[i]);
    times[1] = parse_cue_time (arrow + 5);
    g_array_append_vals (cues, times, 2);
  }
  g_strfreev (lines);
  g_free (contents);
  return cues;
}

/* The text of the cues, joined, read as SRT and WebVTT readers do: a cue's
 * text runs from its timing line to the first empty line, so a line break
 * inside the text would cut it short, and one at its start would leave it
 * empty. */
static gchar *
read_cue_text (const gchar * path)
{
  GString *text = g_string_new (NULL);
  gchar *contents, **lines;
  guint i;

  fail_unless (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    if (!strstr (lines[i], " --> "))
      continue;
    fail_unless (lines[i + 1] && *lines[i + 1], "an empty cue in %s", path);
    for (i++; lines[i] && *lines[i]; i++)
      g_string_append (text, lines[i]);
    if (!lines[i])
      break;
  }
  g_strfreev (lines);
  g_free (contents);
  return g_string_free (text, FALSE);
}

/* filesrc ! decodebin ! ... ! realtimeai ! ENCODER ! filesink: every turn
 * the server saw has a cue starting within 100 ms of it, and cues never
 * overlap. */
static void
check_subtitles (const gchar * encoder, const gchar * extension)
{
  RealtimeTestServer *server = start_server (0);
  gchar *wav = write_wav ("subtitles.wav");
  gchar *subtitles = g_strconcat (wav, extension, NULL);
  gchar *url = realtime_test_server_get_url (server);
  GstElement *pipeline = make_pipeline ("filesrc location=\"%s\" ! decodebin "
      "! audioconvert ! audioresample ! realtimeai name=ai url=\"%s\" "
      "api-key=" TEST_KEY " session-type=transcription ai.text_src ! %s ! "
      "filesink location=\"%s\" ai.src ! fakesink", wav, url, encoder,
      subtitles);
  GArray *turns, *cues;
  gchar *text;
  guint i, j;

  play_to_eos (pipeline);

  turns = realtime_test_server_get_turns (server);
  cues = read_cues (subtitles);
  fail_unless_equals_int (turns->len, 3);
  for (i = 0; i < turns->len; i++) {
    GstClockTime start = ms_to_time (g_array_index (turns, RealtimeTestTurn,
            i).audio_start_ms);

    for (j = 0; j < cues->len; j += 2)
      if (ABS (GST_CLOCK_DIFF (start, g_array_index (cues, GstClockTime,
                      j))) <= 100 * GST_MSECOND)
        break;
    fail_unless (j < cues->len, "no cue within 100 ms of the turn at %"
        GST_TIME_FORMAT, GST_TIME_ARGS (start));
  }
  for (j = 2; j < cues->len; j += 2)
    fail_unless (g_array_index (cues, GstClockTime, j) >=
        g_array_index (cues, GstClockTime, j - 1), "cues overlap");
  /* the line break that ends each turn leaves the cues whole */
  text = read_cue_text (subtitles);
  fail_unless_equals_string (text, "Transcript of turn 1.Transcript of turn "
      "2.Transcript of turn 3.");

  g_free (text);
  g_array_unref (cues);
  g_array_unref (turns);
  gst_object_unref (pipeline);
  realtime_test_server_free (server);
  g_free (url);
  g_free (subtitles);
  g_free (wav);
}

GST_START_TEST (test_file_to_srt)
{
  check_subtitles ("srtenc", ".srt");
}

GST_END_TEST;

GST_START_TEST (test_file_to_webvtt)
{
  check_subtitles ("webvttenc", ".vtt");
}

GST_END_TEST;

/* text_src ! filesink: plain text keeps the turns apart, a line each. */
GST_START_TEST (test_file_to_plain_text)
{
  RealtimeTestServer *server = start_server (0);
  gchar *wav = write_wav ("plain.wav");
  gchar *path = g_strconcat (wav, ".txt", NULL);
  gchar *url = realtime_test_server_get_url (server);
  GstElement *pipeline = make_pipeline ("filesrc location=\"%s\" ! decodebin "
      "! audioconvert ! audioresample ! realtimeai name=ai url=\"%s\" "
      "api-key=" TEST_KEY " session-type=transcription ai.text_src ! "
      "filesink location=\"%s\" ai.src ! fakesink", wav, url, path);
  gchar *contents;

  play_to_eos (pipeline);

  fail_unless (g_file_get_contents (path, &contents, NULL, NULL));
  fail_unless_equals_string (contents, "Transcript of turn 1.\n"
      "Transcript of turn 2.\nTranscript of turn 3.\n");

  g_free (contents);
  gst_object_unref (pipeline);
  realtime_test_server_free (server);
  g_free (url);
  g_free (path);
  g_free (wav);
}

GST_END_TEST;

static Suite *
files_suite (void)
{
  Suite *s = suite_create ("files");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_file_to_srt);
  tcase_add_test (tc, test_file_to_webvtt);
  tcase_add_test (tc, test_file_to_plain_text);
  return s;
}

GST_CHECK_MAIN (files);

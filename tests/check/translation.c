/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The translation core on its own: scripted input and server events in,
 * the actions out. No element, socket, thread or sleep; GLib only, as the
 * core. Every client event a test makes the core send is checked against
 * the translation client schema (data/validate-events --translation). */

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gstrealtimetranslation.h"

#define MS GST_REALTIME_MSECOND
#define RATE GST_REALTIME_TRANSLATION_RATE
#define FRAME GST_REALTIME_TRANSLATION_FRAME_SAMPLES
#define FRAME_BYTES GST_REALTIME_TRANSLATION_FRAME_BYTES
#define NONE GST_REALTIME_TIME_NONE
/* input samples are never 0, so silence shows */
#define SAMPLE(i) ((gint16) (1 + (i) % 1000))

typedef struct
{
  GstRealtimeTranslation *t;
  GPtrArray *sent;              /* the client events, JSON */
  GPtrArray *audio;             /* AUDIO actions */
  GPtrArray *texts;             /* TEXT actions */
  GPtrArray *others;            /* DRAINED, WARN, FAIL */
  guint64 pushed;               /* input samples made so far */
} Fixture;

static Fixture *
fixture_new (const gchar * language, const gchar * transcription_model)
{
  Fixture *f = g_new0 (Fixture, 1);
  GstRealtimeTranslationConfig config;

  gst_realtime_translation_config_init (&config);
  config.language = language;
  config.transcription_model = transcription_model;
  config.noise_reduction = GST_REALTIME_NOISE_REDUCTION_NEAR_FIELD;
  f->t = gst_realtime_translation_new (&config);
  f->sent = g_ptr_array_new_with_free_func (g_free);
  f->audio = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_realtime_translation_action_free);
  f->texts = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_realtime_translation_action_free);
  f->others = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_realtime_translation_action_free);
  return f;
}

/* ---------------------------------------------------------------------- */
/* Schema check of what was sent                                          */
/* ---------------------------------------------------------------------- */

static gchar *
validator_path (void)
{
  const gchar *dir = g_getenv ("REALTIME_TEST_DATA");

  return g_build_filename (dir ? dir : REALTIME_TEST_DATA_DIR,
      "validate-events", NULL);
}

/* Every event in @sent is valid in a translation session. */
static void
assert_events_valid (GPtrArray * sent)
{
  gchar *script = validator_path (), *file, *out = NULL, *err = NULL;
  gchar *expected = g_strdup_printf ("%u passed, 0 failed", sent->len);
  const gchar *argv[] = { "/usr/bin/python3", script, "--translation",
    NULL, NULL
  };
  GString *lines = g_string_new (NULL);
  GError *error = NULL;
  gint status = -1;
  guint i;

  for (i = 0; i < sent->len; i++)
    g_string_append_printf (lines, "%s\n", (gchar *) sent->pdata[i]);
  file = g_strdup_printf ("%s/translation-%d.jsonl", g_get_tmp_dir (),
      (gint) getpid ());
  g_assert_true (g_file_set_contents (file, lines->str, lines->len, NULL));
  argv[3] = file;
  g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_DEFAULT,
          NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!strstr (out, expected))
    g_printerr ("%s%s", out, err);
  g_assert_nonnull (strstr (out, expected));
  g_unlink (file);
  g_free (file);
  g_free (out);
  g_free (err);
  g_free (expected);
  g_free (script);
  g_string_free (lines, TRUE);
}

static void
fixture_free (Fixture * f)
{
  assert_events_valid (f->sent);
  gst_realtime_translation_free (f->t);
  g_ptr_array_unref (f->sent);
  g_ptr_array_unref (f->audio);
  g_ptr_array_unref (f->texts);
  g_ptr_array_unref (f->others);
  g_free (f);
}

/* ---------------------------------------------------------------------- */
/* Driving the core                                                       */
/* ---------------------------------------------------------------------- */

/* Takes the actions the last inputs caused. */
static void
collect (Fixture * f)
{
  GstRealtimeTranslationAction *action;

  while ((action = gst_realtime_translation_poll_action (f->t))) {
    switch (action->type) {
      case GST_REALTIME_TRANSLATION_ACTION_SEND:
        g_ptr_array_add (f->sent, g_steal_pointer (&action->event));
        gst_realtime_translation_action_free (action);
        break;
      case GST_REALTIME_TRANSLATION_ACTION_AUDIO:
        g_ptr_array_add (f->audio, action);
        break;
      case GST_REALTIME_TRANSLATION_ACTION_TEXT:
        g_ptr_array_add (f->texts, action);
        break;
      default:
        g_ptr_array_add (f->others, action);
        break;
    }
  }
}

static void
server_event (Fixture * f, const gchar * json)
{
  GError *error = NULL;
  GstRealtimeServerEvent *event =
      gst_realtime_protocol_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  gst_realtime_translation_handle_event (f->t, event);
  gst_realtime_server_event_free (event);
  collect (f);
}

static void
connect (Fixture * f)
{
  server_event (f, "{\"type\":\"session.created\",\"event_id\":\"s1\","
      "\"session\":{\"type\":\"translation\",\"id\":\"sess_1\"}}");
}

/* @samples of input at @pts, numbered on from the last */
static void
push (Fixture * f, guint64 samples, GstRealtimeTime pts,
    GstRealtimeTranslationInputFlags flags)
{
  gint16 *pcm = g_new (gint16, MAX (samples, 1));
  guint64 i;

  for (i = 0; i < samples; i++)
    pcm[i] = GINT16_TO_LE (SAMPLE (f->pushed + i));
  f->pushed += samples;
  gst_realtime_translation_push_audio (f->t, (guint8 *) pcm, samples * 2, pts,
      flags);
  g_free (pcm);
  collect (f);
}

static void
text_delta (Fixture * f, const gchar * type, const gchar * text,
    gint64 elapsed_ms)
{
  gchar *json = g_strdup_printf ("{\"type\":\"%s\",\"event_id\":\"e\","
      "\"delta\":\"%s\",\"elapsed_ms\":%" G_GINT64_FORMAT "}", type, text,
      elapsed_ms);

  server_event (f, json);
  g_free (json);
}

/* A translated audio delta of @samples samples of @value */
static void
audio_delta (Fixture * f, guint samples, gint16 value, gint64 elapsed_ms)
{
  gint16 *pcm = g_new (gint16, samples);
  gchar *b64, *json, *elapsed;
  guint i;

  for (i = 0; i < samples; i++)
    pcm[i] = GINT16_TO_LE (value);
  b64 = g_base64_encode ((guint8 *) pcm, samples * 2);
  elapsed = elapsed_ms < 0 ? g_strdup ("") :
      g_strdup_printf (",\"elapsed_ms\":%" G_GINT64_FORMAT, elapsed_ms);
  json = g_strdup_printf ("{\"type\":\"session.output_audio.delta\","
      "\"event_id\":\"a\",\"delta\":\"%s\",\"sample_rate\":24000,"
      "\"channels\":1,\"format\":\"pcm16\"%s}", b64, elapsed);
  server_event (f, json);
  g_free (json);
  g_free (elapsed);
  g_free (b64);
  g_free (pcm);
}

static JsonObject *
load_object (const gchar * json)
{
  JsonParser *parser = json_parser_new ();
  JsonObject *object;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  object = json_object_ref (json_node_get_object (json_parser_get_root
          (parser)));
  g_object_unref (parser);
  return object;
}

static gchar *
event_type (Fixture * f, guint i)
{
  JsonObject *object = load_object (f->sent->pdata[i]);
  gchar *type = g_strdup (json_object_get_string_member (object, "type"));

  json_object_unref (object);
  return type;
}

static void
assert_event_type (Fixture * f, guint i, const gchar * type)
{
  gchar *found;

  g_assert_cmpuint (i, <, f->sent->len);
  found = event_type (f, i);
  g_assert_cmpstr (found, ==, type);
  g_free (found);
}

/* The samples of append @i, which must be exactly one frame */
static gint16 *
append_samples (Fixture * f, guint i)
{
  JsonObject *object;
  guint8 *pcm;
  gsize size;

  assert_event_type (f, i, "session.input_audio_buffer.append");
  object = load_object (f->sent->pdata[i]);
  pcm = g_base64_decode (json_object_get_string_member (object, "audio"),
      &size);
  g_assert_cmpuint (size, ==, FRAME_BYTES);
  json_object_unref (object);
  return (gint16 *) pcm;
}

static guint
count_appends (Fixture * f)
{
  guint i, n = 0;

  for (i = 0; i < f->sent->len; i++)
    n += strstr (f->sent->pdata[i], "input_audio_buffer.append") != NULL;
  return n;
}

/* The appends from event @first on, as one array of samples */
static GArray *
appended_audio (Fixture * f, guint first)
{
  GArray *all = g_array_new (FALSE, FALSE, sizeof (gint16));
  gint16 *pcm;
  guint i;

  for (i = first; i < f->sent->len; i++) {
    if (!strstr (f->sent->pdata[i], "input_audio_buffer.append"))
      continue;
    pcm = append_samples (f, i);
    g_array_append_vals (all, pcm, FRAME);
    g_free (pcm);
  }
  return all;
}

/* Samples [from, to) of @audio are input samples numbered from @number,
 * or silence when @number is -1. */
static void
assert_samples (GArray * audio, guint from, guint to, gint64 number)
{
  guint i;

  g_assert_cmpuint (to, <=, audio->len);
  for (i = from; i < to; i++) {
    gint16 expected = number < 0 ? 0 : SAMPLE (number + (i - from));

    if (GINT16_FROM_LE (g_array_index (audio, gint16, i)) != expected)
      g_error ("sample %u is %d, not %d", i,
          GINT16_FROM_LE (g_array_index (audio, gint16, i)), expected);
  }
}

static GstRealtimeTranslationAction *
audio_action (Fixture * f, guint i)
{
  g_assert_cmpuint (i, <, f->audio->len);
  return f->audio->pdata[i];
}

/* The track is one: each piece starts where the last ended. */
static void
assert_track_continuous (Fixture * f, GstRealtimeTime origin)
{
  GstRealtimeTranslationAction *a;
  guint64 samples = 0;
  guint i;

  for (i = 0; i < f->audio->len; i++) {
    a = f->audio->pdata[i];
    g_assert_cmpuint (a->start, ==, origin + samples * GST_REALTIME_SECOND /
        RATE);
    samples += a->n_samples;
    g_assert_cmpuint (a->end, ==, origin + samples * GST_REALTIME_SECOND /
        RATE);
    g_assert_cmpuint (a->duration, ==, a->end - a->start);
    g_assert_true (a->discont == (i == 0));
    g_assert_true (a->data == NULL || a->size == a->n_samples * 2);
  }
}

static void
assert_audio (Fixture * f, guint i, gboolean silence, GstRealtimeTime start,
    GstRealtimeTime end)
{
  GstRealtimeTranslationAction *a = audio_action (f, i);

  g_assert_true ((a->data == NULL) == silence);
  g_assert_cmpuint (a->start, ==, start);
  g_assert_cmpuint (a->end, ==, end);
}

static void
assert_text (Fixture * f, guint i, GstRealtimeTextRole role,
    const gchar * text, GstRealtimeTime start, GstRealtimeTime end)
{
  GstRealtimeTranslationAction *a;

  g_assert_cmpuint (i, <, f->texts->len);
  a = f->texts->pdata[i];
  g_assert_cmpint (a->role, ==, role);
  g_assert_cmpstr (a->text, ==, text);
  g_assert_cmpuint (a->start, ==, start);
  g_assert_cmpuint (a->end, ==, end);
}

static gboolean
has_other (Fixture * f, GstRealtimeTranslationActionType type)
{
  guint i;

  for (i = 0; i < f->others->len; i++) {
    if (((GstRealtimeTranslationAction *) f->others->pdata[i])->type == type)
      return TRUE;
  }
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Input                                                                  */
/* ---------------------------------------------------------------------- */

/* Appends are exactly 200 ms: smaller input is gathered, larger split,
 * and the audio goes out whole and in order. */
static void
test_framing (void)
{
  Fixture *f = fixture_new ("fr", NULL);
  GArray *audio;

  connect (f);
  g_assert_cmpuint (f->sent->len, ==, 1);
  assert_event_type (f, 0, "session.update");
  g_assert_nonnull (strstr (f->sent->pdata[0], "\"language\":\"fr\""));

  push (f, 1000, 0, 0);
  push (f, 3001, NONE, 0);
  g_assert_cmpuint (count_appends (f), ==, 0);
  push (f, 7, NONE, 0);
  push (f, 1500, NONE, 0);
  g_assert_cmpuint (count_appends (f), ==, 1);
  push (f, 3 * FRAME + 17, NONE, 0);
  g_assert_cmpuint (count_appends (f), ==, 4);
  /* an odd byte is dropped */
  gst_realtime_translation_push_audio (f->t, (const guint8 *) "\1", 1, NONE, 0);
  collect (f);
  g_assert_cmpuint (count_appends (f), ==, 4);

  audio = appended_audio (f, 0);
  g_assert_cmpuint (audio->len, ==, 4 * FRAME);
  assert_samples (audio, 0, audio->len, 0);
  g_array_unref (audio);
  fixture_free (f);
}

/* A hole in the input (by its PTS, or DISCONT) is silence; jitter is
 * not; a GAP is silence whatever it holds. */
static void
test_gaps_filled (void)
{
  Fixture *f = fixture_new ("fr", NULL);
  GArray *audio;

  connect (f);
  push (f, 2400, 0, 0);
  /* 100 ms hole */
  push (f, 2400, 200 * MS, 0);
  /* 10 ms late without DISCONT: jitter, no silence */
  push (f, 2400, 310 * MS, 0);
  /* 10 ms late with DISCONT: a hole */
  push (f, 2160, 410 * MS, GST_REALTIME_TRANSLATION_INPUT_DISCONT);
  gst_realtime_translation_push_gap (f->t, NONE, 100 * MS);
  push (f, 2400, NONE, GST_REALTIME_TRANSLATION_INPUT_GAP);
  collect (f);

  audio = appended_audio (f, 0);
  g_assert_cmpuint (audio->len, ==, 3 * FRAME);
  assert_samples (audio, 0, 2400, 0);
  assert_samples (audio, 2400, 4800, -1);
  assert_samples (audio, 4800, 9600, 2400);
  assert_samples (audio, 9600, 9840, -1);
  assert_samples (audio, 9840, 12000, 7200);
  assert_samples (audio, 12000, 14400, -1);
  g_array_unref (audio);
  fixture_free (f);
}

/* Live input that stalls: silence keeps the model's time going, for what
 * is overdue by more than the stall allowance. */
static void
test_live_stall_filled (void)
{
  Fixture *f = fixture_new ("fr", NULL);
  GArray *audio;

  gst_realtime_translation_set_live (f->t, TRUE, 500 * MS, 2000 * MS);
  connect (f);
  push (f, FRAME, 0, 0);
  g_assert_cmpuint (count_appends (f), ==, 1);
  gst_realtime_translation_tick (f->t, 600 * MS);
  collect (f);
  g_assert_cmpuint (count_appends (f), ==, 1);
  /* 1.3 s: 600 ms overdue, 100 ms of it past the allowance; then 1.5 s */
  gst_realtime_translation_tick (f->t, 1300 * MS);
  gst_realtime_translation_tick (f->t, 1500 * MS);
  collect (f);
  g_assert_cmpuint (count_appends (f), ==, 5);
  /* the input comes back where it would be now */
  push (f, FRAME, 1000 * MS, 0);
  g_assert_cmpuint (count_appends (f), ==, 6);

  audio = appended_audio (f, 0);
  assert_samples (audio, 0, FRAME, 0);
  assert_samples (audio, FRAME, 5 * FRAME, -1);
  assert_samples (audio, 5 * FRAME, 6 * FRAME, FRAME);
  g_array_unref (audio);

  /* not live: no filling */
  gst_realtime_translation_set_live (f->t, FALSE, 500 * MS, 0);
  gst_realtime_translation_tick (f->t, 60 * GST_REALTIME_SECOND);
  collect (f);
  g_assert_cmpuint (count_appends (f), ==, 6);
  g_assert_cmpuint (f->audio->len, ==, 0);
  fixture_free (f);
}

/* ---------------------------------------------------------------------- */
/* Time                                                                   */
/* ---------------------------------------------------------------------- */

/* elapsed_ms is model time: across a filled hole it still names the
 * input time, and across one longer than max_fill too. */
static void
test_elapsed_across_gap (void)
{
  Fixture *f = fixture_new ("fr", NULL);

  gst_realtime_translation_set_limits (f->t, 400 * MS, 10 *
      GST_REALTIME_SECOND);
  connect (f);
  push (f, FRAME, 2 * GST_REALTIME_SECOND, 0);
  /* 200 ms hole, filled */
  push (f, FRAME, 2400 * MS, 0);
  /* a 10 s hole: 400 ms of silence, then the input at its time */
  push (f, 2 * FRAME, 13 * GST_REALTIME_SECOND, 0);
  /* audio, silence, audio, silence, silence, audio, audio */
  g_assert_cmpuint (count_appends (f), ==, 7);

  text_delta (f, "session.output_transcript.delta", "a", 0);
  text_delta (f, "session.output_transcript.delta", "b", 400);
  text_delta (f, "session.output_transcript.delta", "c", 600);
  text_delta (f, "session.output_transcript.delta", "d", 800);
  text_delta (f, "session.output_transcript.delta", "e", 1000);
  text_delta (f, "session.output_transcript.delta", "f", 1300);
  assert_text (f, 0, GST_REALTIME_TEXT_ASSISTANT, "a", 2000 * MS, 2200 * MS);
  assert_text (f, 1, GST_REALTIME_TEXT_ASSISTANT, "b", 2400 * MS, 2600 * MS);
  assert_text (f, 2, GST_REALTIME_TEXT_ASSISTANT, "c", 2600 * MS, 2800 * MS);
  /* the frame before the jump ends with its own span */
  assert_text (f, 3, GST_REALTIME_TEXT_ASSISTANT, "d", 2800 * MS, 3000 * MS);
  assert_text (f, 4, GST_REALTIME_TEXT_ASSISTANT, "e", 13000 * MS, 13200 * MS);
  /* off the 200 ms grid: from there to its frame's end */
  assert_text (f, 5, GST_REALTIME_TEXT_ASSISTANT, "f", 13300 * MS, 13400 * MS);
  fixture_free (f);
}

/* The translated audio: one track from the input's start, silence where
 * the model is silent, each delta at its elapsed_ms, a late one after
 * the audio before it, never overlapping. */
static void
test_audio_track (void)
{
  Fixture *f = fixture_new ("fr", NULL);
  GstRealtimeTime t0 = 10 * GST_REALTIME_SECOND;

  connect (f);
  push (f, 10 * FRAME, t0, 0);
  audio_delta (f, FRAME, 7, 400);
  assert_audio (f, 0, TRUE, t0, t0 + 400 * MS);
  assert_audio (f, 1, FALSE, t0 + 400 * MS, t0 + 600 * MS);
  /* the same frame again: after the first */
  audio_delta (f, FRAME / 2, 7, 400);
  assert_audio (f, 2, FALSE, t0 + 600 * MS, t0 + 700 * MS);
  /* early: silence up to it */
  audio_delta (f, FRAME, 7, 1400);
  assert_audio (f, 3, TRUE, t0 + 700 * MS, t0 + 1400 * MS);
  assert_audio (f, 4, FALSE, t0 + 1400 * MS, t0 + 1600 * MS);
  /* late (its time has passed), or without elapsed_ms: right after */
  audio_delta (f, FRAME, 7, 200);
  assert_audio (f, 5, FALSE, t0 + 1600 * MS, t0 + 1800 * MS);
  audio_delta (f, 240, 7, -1);
  assert_audio (f, 6, FALSE, t0 + 1800 * MS, t0 + 1810 * MS);
  g_assert_cmpuint (audio_action (f, 6)->n_samples, ==, 240);
  g_assert_cmpint (GINT16_FROM_LE (((gint16 *) audio_action (f,
                  6)->data)[0]), ==, 7);
  assert_track_continuous (f, t0);

  /* audio it cannot play is dropped, with a warning */
  server_event (f, "{\"type\":\"session.output_audio.delta\",\"delta\":"
      "\"AAAA\",\"sample_rate\":16000,\"elapsed_ms\":1600}");
  g_assert_cmpuint (f->audio->len, ==, 7);
  g_assert_true (has_other (f, GST_REALTIME_TRANSLATION_ACTION_WARN));
  fixture_free (f);
}

/* Live: the track plays on in silence up to the latency before now, and
 * a delta whose place has been played goes right after. */
static void
test_live_track_plays_on (void)
{
  Fixture *f = fixture_new ("fr", NULL);

  gst_realtime_translation_set_live (f->t, TRUE, 500 * MS, 1000 * MS);
  connect (f);
  push (f, 10 * FRAME, 0, 0);
  gst_realtime_translation_tick (f->t, 1500 * MS);
  collect (f);
  assert_audio (f, 0, TRUE, 0, 500 * MS);
  audio_delta (f, FRAME, 3, 200);
  assert_audio (f, 1, FALSE, 500 * MS, 700 * MS);
  /* played already: nothing */
  gst_realtime_translation_tick (f->t, 1600 * MS);
  collect (f);
  g_assert_cmpuint (f->audio->len, ==, 2);
  gst_realtime_translation_tick (f->t, 2000 * MS);
  collect (f);
  assert_audio (f, 2, TRUE, 700 * MS, 1000 * MS);
  assert_track_continuous (f, 0);
  fixture_free (f);
}

/* ---------------------------------------------------------------------- */
/* Text                                                                   */
/* ---------------------------------------------------------------------- */

static void
test_text_roles (void)
{
  Fixture *f = fixture_new ("de", "gpt-live-transcribe");

  connect (f);
  g_assert_nonnull (strstr (f->sent->pdata[0], "gpt-live-transcribe"));
  push (f, 5 * FRAME, 0, 0);
  text_delta (f, "session.input_transcript.delta", "Hello", 200);
  text_delta (f, "session.output_transcript.delta", "Hallo", 200);
  text_delta (f, "session.output_transcript.delta", " Welt", 600);
  /* without elapsed_ms: the latest frame answered */
  server_event (f, "{\"type\":\"session.output_transcript.delta\","
      "\"event_id\":\"e\",\"delta\":\"!\"}");
  /* empty deltas carry nothing */
  text_delta (f, "session.output_transcript.delta", "", 800);
  g_assert_cmpuint (f->texts->len, ==, 4);
  assert_text (f, 0, GST_REALTIME_TEXT_USER, "Hello", 200 * MS, 400 * MS);
  assert_text (f, 1, GST_REALTIME_TEXT_ASSISTANT, "Hallo", 200 * MS, 400 * MS);
  assert_text (f, 2, GST_REALTIME_TEXT_ASSISTANT, " Welt", 600 * MS, 800 * MS);
  assert_text (f, 3, GST_REALTIME_TEXT_ASSISTANT, "!", 600 * MS, 800 * MS);
  fixture_free (f);

  /* no source transcript unless it was asked for */
  f = fixture_new ("de", NULL);
  connect (f);
  g_assert_null (strstr (f->sent->pdata[0], "transcription"));
  push (f, FRAME, 0, 0);
  text_delta (f, "session.input_transcript.delta", "Hello", 0);
  g_assert_cmpuint (f->texts->len, ==, 0);
  fixture_free (f);
}

/* ---------------------------------------------------------------------- */
/* The session                                                            */
/* ---------------------------------------------------------------------- */

static void
test_language_update (void)
{
  Fixture *f = fixture_new ("fr", NULL);

  /* not connected: remembered for the session.update */
  gst_realtime_translation_set_language (f->t, "it");
  collect (f);
  g_assert_cmpuint (f->sent->len, ==, 0);
  connect (f);
  g_assert_nonnull (strstr (f->sent->pdata[0], "\"language\":\"it\""));

  gst_realtime_translation_set_language (f->t, "de");
  collect (f);
  g_assert_cmpuint (f->sent->len, ==, 2);
  g_assert_nonnull (strstr (f->sent->pdata[1], "\"session\":{\"audio\":"
          "{\"output\":{\"language\":\"de\"}}}}"));
  g_assert_null (strstr (f->sent->pdata[1], "noise_reduction"));
  /* the same again: nothing */
  gst_realtime_translation_set_language (f->t, "de");
  collect (f);
  g_assert_cmpuint (f->sent->len, ==, 2);

  /* lost, changed, back: the new session has it */
  gst_realtime_translation_connection_lost (f->t);
  gst_realtime_translation_set_language (f->t, "es");
  collect (f);
  g_assert_cmpuint (f->sent->len, ==, 2);
  connect (f);
  g_assert_cmpuint (f->sent->len, ==, 3);
  g_assert_nonnull (strstr (f->sent->pdata[2], "\"language\":\"es\""));
  g_assert_nonnull (strstr (f->sent->pdata[2], "noise_reduction"));
  fixture_free (f);
}

/* EOS: the last frame completed with silence, then session.close; DRAINED
 * once session.closed came, with the track complete to the input's end. */
static void
test_eos_close_then_drained (void)
{
  Fixture *f = fixture_new ("fr", NULL);
  GArray *audio;

  connect (f);
  push (f, FRAME + 1200, 0, 0);
  audio_delta (f, FRAME, 5, 0);
  gst_realtime_translation_eos (f->t);
  collect (f);
  g_assert_cmpuint (count_appends (f), ==, 2);
  assert_event_type (f, f->sent->len - 1, "session.close");
  audio = appended_audio (f, 0);
  assert_samples (audio, 0, FRAME + 1200, 0);
  assert_samples (audio, FRAME + 1200, 2 * FRAME, -1);
  g_array_unref (audio);
  g_assert_false (has_other (f, GST_REALTIME_TRANSLATION_ACTION_DRAINED));

  /* input after EOS, and a second EOS, are nothing */
  push (f, FRAME, NONE, 0);
  gst_realtime_translation_eos (f->t);
  collect (f);
  g_assert_cmpuint (count_appends (f), ==, 2);

  /* the output that the flush of the server brings, then its end */
  text_delta (f, "session.output_transcript.delta", "fin", 200);
  g_assert_cmpuint (f->texts->len, ==, 1);
  server_event (f, "{\"type\":\"session.closed\",\"event_id\":\"c\"}");
  g_assert_true (has_other (f, GST_REALTIME_TRANSLATION_ACTION_DRAINED));
  /* the track goes on in silence to the end of the input, 250 ms */
  assert_audio (f, f->audio->len - 1, TRUE, 200 * MS, 250 * MS);
  assert_track_continuous (f, 0);
  fixture_free (f);
}

/* EOS without a connection: the close follows the audio that waited. */
static void
test_eos_while_disconnected (void)
{
  Fixture *f = fixture_new ("fr", NULL);

  push (f, FRAME, 0, 0);
  gst_realtime_translation_eos (f->t);
  collect (f);
  g_assert_cmpuint (f->sent->len, ==, 0);
  connect (f);
  g_assert_cmpuint (f->sent->len, ==, 3);
  assert_event_type (f, 0, "session.update");
  assert_event_type (f, 1, "session.input_audio_buffer.append");
  assert_event_type (f, 2, "session.close");
  fixture_free (f);
}

/* A new connection is sent the audio after the last frame the server
 * answered, then what waited; its elapsed_ms count from there. */
static void
test_reconnect_resends_unanswered (void)
{
  Fixture *f = fixture_new ("fr", NULL);
  GArray *audio;
  guint first;

  connect (f);
  push (f, 5 * FRAME, 0, 0);
  g_assert_cmpuint (count_appends (f), ==, 5);
  /* frames 0-2 answered */
  text_delta (f, "session.output_transcript.delta", "x", 400);
  gst_realtime_translation_connection_lost (f->t);
  push (f, 2 * FRAME, NONE, 0);
  g_assert_cmpuint (count_appends (f), ==, 5);

  first = f->sent->len;
  connect (f);
  assert_event_type (f, first, "session.update");
  audio = appended_audio (f, first);
  g_assert_cmpuint (audio->len, ==, 4 * FRAME);
  assert_samples (audio, 0, 4 * FRAME, 3 * FRAME);
  g_array_unref (audio);

  /* model time 0 of this connection is input frame 3 */
  text_delta (f, "session.output_transcript.delta", "y", 0);
  text_delta (f, "session.output_transcript.delta", "z", 600);
  assert_text (f, 1, GST_REALTIME_TEXT_ASSISTANT, "y", 600 * MS, 800 * MS);
  assert_text (f, 2, GST_REALTIME_TEXT_ASSISTANT, "z", 1200 * MS, 1400 * MS);
  fixture_free (f);
}

/* A new session without a loss reported first (a renewal) is sent the
 * unanswered audio too. */
static void
test_new_session_resends (void)
{
  Fixture *f = fixture_new ("fr", NULL);
  GArray *audio;
  guint first;

  connect (f);
  push (f, 2 * FRAME, 0, 0);
  first = f->sent->len;
  connect (f);
  audio = appended_audio (f, first);
  g_assert_cmpuint (audio->len, ==, 2 * FRAME);
  assert_samples (audio, 0, 2 * FRAME, 0);
  g_array_unref (audio);
  fixture_free (f);
}

/* The backlog is bounded: what no connection had and does not fit goes,
 * with a warning. */
static void
test_reconnect_bound (void)
{
  Fixture *f = fixture_new ("fr", NULL);
  GArray *audio;

  gst_realtime_translation_set_limits (f->t, 10 * GST_REALTIME_SECOND,
      400 * MS);
  push (f, 5 * FRAME, 0, 0);
  g_assert_true (has_other (f, GST_REALTIME_TRANSLATION_ACTION_WARN));
  connect (f);
  audio = appended_audio (f, 0);
  g_assert_cmpuint (audio->len, ==, 2 * FRAME);
  assert_samples (audio, 0, 2 * FRAME, 3 * FRAME);
  g_array_unref (audio);
  fixture_free (f);
}

/* A flush: the partial frame and the outputs of the audio before it go;
 * the input starts again at its PTS, the track anew. */
static void
test_flush (void)
{
  Fixture *f = fixture_new ("fr", "gpt-live-transcribe");
  GstRealtimeTime t1 = 100 * GST_REALTIME_SECOND;
  GArray *audio;
  guint first;

  connect (f);
  push (f, 2 * FRAME + 100, 0, 0);
  audio_delta (f, FRAME, 1, 0);
  g_assert_cmpuint (f->audio->len, ==, 1);
  gst_realtime_translation_flush (f->t);
  collect (f);
  g_assert_cmpuint (count_appends (f), ==, 2);

  /* the old audio's outputs */
  audio_delta (f, FRAME, 1, 200);
  text_delta (f, "session.output_transcript.delta", "old", 200);
  g_assert_cmpuint (f->audio->len, ==, 1);
  g_assert_cmpuint (f->texts->len, ==, 0);

  first = f->sent->len;
  push (f, FRAME, t1, 0);
  audio = appended_audio (f, first);
  g_assert_cmpuint (audio->len, ==, FRAME);
  assert_samples (audio, 0, FRAME, 2 * FRAME + 100);
  g_array_unref (audio);
  text_delta (f, "session.input_transcript.delta", "new", 400);
  assert_text (f, 0, GST_REALTIME_TEXT_USER, "new", t1, t1 + 200 * MS);
  audio_delta (f, FRAME, 1, 400);
  assert_audio (f, 1, FALSE, t1, t1 + 200 * MS);
  g_assert_true (audio_action (f, 1)->discont);
  fixture_free (f);
}

static void
test_errors (void)
{
  Fixture *f = fixture_new ("fr", NULL);
  GstRealtimeTranslationAction *a;
  gchar *json, *id;
  JsonObject *update;

  connect (f);
  server_event (f, "{\"type\":\"error\",\"event_id\":\"e1\",\"error\":"
      "{\"type\":\"invalid_request_error\",\"code\":\"x\",\"message\":"
      "\"busy\"}}");
  g_assert_cmpuint (f->others->len, ==, 1);
  a = f->others->pdata[0];
  g_assert_cmpint (a->type, ==, GST_REALTIME_TRANSLATION_ACTION_WARN);
  g_assert_cmpstr (a->code, ==, "x");
  g_assert_nonnull (strstr (a->message, "busy"));

  update = load_object (f->sent->pdata[0]);
  id = g_strdup (json_object_get_string_member (update, "event_id"));
  json_object_unref (update);
  json = g_strdup_printf ("{\"type\":\"error\",\"event_id\":\"e2\",\"error\":"
      "{\"type\":\"invalid_request_error\",\"message\":\"bad language\","
      "\"event_id\":\"%s\"}}", id);
  server_event (f, json);
  g_assert_cmpuint (f->others->len, ==, 2);
  a = f->others->pdata[1];
  g_assert_cmpint (a->type, ==, GST_REALTIME_TRANSLATION_ACTION_FAIL);
  g_free (json);
  g_free (id);
  fixture_free (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/translation/framing", test_framing);
  g_test_add_func ("/translation/gaps-filled", test_gaps_filled);
  g_test_add_func ("/translation/live-stall-filled", test_live_stall_filled);
  g_test_add_func ("/translation/elapsed-across-gap", test_elapsed_across_gap);
  g_test_add_func ("/translation/audio-track", test_audio_track);
  g_test_add_func ("/translation/live-track-plays-on",
      test_live_track_plays_on);
  g_test_add_func ("/translation/text-roles", test_text_roles);
  g_test_add_func ("/translation/language-update", test_language_update);
  g_test_add_func ("/translation/eos-close-then-drained",
      test_eos_close_then_drained);
  g_test_add_func ("/translation/eos-while-disconnected",
      test_eos_while_disconnected);
  g_test_add_func ("/translation/reconnect-resends-unanswered",
      test_reconnect_resends_unanswered);
  g_test_add_func ("/translation/new-session-resends",
      test_new_session_resends);
  g_test_add_func ("/translation/reconnect-bound", test_reconnect_bound);
  g_test_add_func ("/translation/flush", test_flush);
  g_test_add_func ("/translation/errors", test_errors);
  return g_test_run ();
}

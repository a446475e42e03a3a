/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The assistant messages of a response: text, or audio (an echo of the
 * turn's audio, or silence) with a transcript. A response has one, or
 * preambles before it when the test asks for several items; interleaved,
 * the next item starts before the previous one is closed.
 *
 * Each frame gets the time a model speaking in real time would send it
 * at (Frame.at_us): a message runs for as long as its audio (or 150 ms a
 * word of text), its deltas spread over that time and its closing events
 * at its end; the next message starts there. */

#include "realtimetestserver-private.h"

#include <string.h>

#define AUDIO_CHUNK_US (100 * G_TIME_SPAN_MILLISECOND)
#define TEXT_WORD_US (150 * G_TIME_SPAN_MILLISECOND)
/* length of the silence an audio message carries when it has no turn
 * audio to echo */
#define SILENCE_US_PER_WORD (100 * G_TIME_SPAN_MILLISECOND)

void
rts_message_free (Message * m)
{
  g_free (m->id);
  g_free (m->text);
  g_strfreev (m->words);
  g_clear_pointer (&m->audio, g_bytes_unref);
  g_free (m);
}

/* ------------------------------------------------------------------ */
/* items and events */

/* The part of @m's text sent so far, as a content part (@part) or as the
 * item's content: output_text/output_audio in GA, text/audio in beta. */
static JsonObject *
content_object (Response * r, Message * m, gsize text_len, gboolean part)
{
  JsonObject *content = json_object_new ();
  gchar *text = g_strndup (m->text, text_len);
  gboolean text_only = r->job->text_only;
  const gchar *type = text_only ? "text" : "audio";

  if (!part && !r->c->beta)
    type = text_only ? "output_text" : "output_audio";
  json_object_set_string_member (content, "type", type);
  json_object_set_string_member (content, text_only ? "text" : "transcript",
      text);
  g_free (text);
  return content;
}

/* @m as an item, with @text_len bytes of its text (no content when -1). */
JsonObject *
rts_message_item (Response * r, Message * m, const gchar * status,
    gssize text_len)
{
  JsonObject *item = json_object_new ();
  JsonArray *content = json_array_new ();

  json_object_set_string_member (item, "id", m->id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", "message");
  json_object_set_string_member (item, "status", status);
  json_object_set_string_member (item, "role", "assistant");
  if (text_len >= 0)
    json_array_add_object_element (content, content_object (r, m, text_len,
            FALSE));
  json_object_set_array_member (item, "content", content);
  return item;
}

static JsonObject *
message_event (Response * r, Message * m, const gchar * type)
{
  JsonObject *event = rts_output_event (r, type, m->output_index);

  json_object_set_string_member (event, "item_id", m->id);
  json_object_set_int_member (event, "content_index", 0);
  return event;
}

static void
add_content_part (Response * r, Message * m, const gchar * type)
{
  JsonObject *event = message_event (r, m, type);

  json_object_set_object_member (event, "part", content_object (r, m,
          m->built_text, TRUE));
  rts_response_add (r, event, FALSE);
}

static Frame *
add_delta (Response * r, Message * m, const gchar * type, const gchar * delta)
{
  JsonObject *event = message_event (r, m, type);

  json_object_set_string_member (event, "delta", delta);
  return rts_response_add (r, event, TRUE);
}

static void
add_word (Response * r, Message * m, const gchar * type, const gchar * word)
{
  m->built_text += strlen (word);
  add_delta (r, m, type, word);
}

static void
add_text_done (Response * r, Message * m, const gchar * type,
    const gchar * member)
{
  JsonObject *event = message_event (r, m, type);

  json_object_set_string_member (event, member, m->text);
  rts_response_add (r, event, FALSE);
}

/* ------------------------------------------------------------------ */
/* audio */

static guint
bytes_per_sample (const AudioFormat * fmt)
{
  return fmt->codec == CODEC_PCM16 ? 2 : 1;
}

static gint64
audio_duration_us (const AudioFormat * fmt, gsize size)
{
  return (gint64) (size / bytes_per_sample (fmt)) * G_USEC_PER_SEC / fmt->rate;
}

/* The last message echoes the turn's audio in the output format; the
 * others, and replies to turns without audio, carry silence as long as
 * their words. */
static GBytes *
message_audio (Response * r, guint n_words, gboolean last)
{
  const AudioFormat *fmt = &r->c->cfg.out_fmt;
  gsize n_samples = n_words * SILENCE_US_PER_WORD * fmt->rate / G_USEC_PER_SEC;
  GBytes *silence, *audio;

  if (last && r->job->audio)
    return rts_encode_output (fmt, r->job->audio, r->job->audio_rate);
  silence = g_bytes_new_take (g_new0 (gint16, n_samples),
      n_samples * sizeof (gint16));
  audio = rts_encode_output (fmt, silence, fmt->rate);
  g_bytes_unref (silence);
  return audio;
}

static gsize
chunk_size (Response * r)
{
  const AudioFormat *fmt = &r->c->cfg.out_fmt;

  return fmt->rate * AUDIO_CHUNK_US / G_USEC_PER_SEC * bytes_per_sample (fmt);
}

static guint
n_chunks (Response * r, Message * m)
{
  gsize chunk = chunk_size (r);

  return m->audio ? (g_bytes_get_size (m->audio) + chunk - 1) / chunk : 0;
}

/* Audio chunk @i; its frame says how much audio it carries, so that the
 * server knows what a truncate may cut. */
static void
add_audio_chunk (Response * r, Message * m, guint i)
{
  gsize size, chunk = chunk_size (r), offset = i * chunk;
  const guint8 *data = g_bytes_get_data (m->audio, &size);
  gchar *b64;

  chunk = MIN (chunk, size - offset);
  b64 = g_base64_encode (data + offset, chunk);
  add_delta (r, m, "response.output_audio.delta", b64)->audio_us =
      audio_duration_us (&r->c->cfg.out_fmt, chunk);
  g_free (b64);
}

/* ------------------------------------------------------------------ */
/* building a message */

/* Step @i of @m: audio in 100 ms deltas, each with the word of the
 * transcript that goes with it, or a word of text. */
static void
add_step (Response * r, Message * m, guint i)
{
  r->building = m;
  if (r->job->text_only) {
    r->built_us = m->start_us + i * TEXT_WORD_US;
    add_word (r, m, "response.output_text.delta", m->words[i]);
    return;
  }
  r->built_us = m->start_us + i * AUDIO_CHUNK_US;
  if (i < n_chunks (r, m))
    add_audio_chunk (r, m, i);
  if (i < g_strv_length (m->words))
    add_word (r, m, "response.output_audio_transcript.delta", m->words[i]);
}

/* Steps @from to @to (exclusive, or up to the last one). */
static void
add_steps (Response * r, Message * m, guint from, guint to)
{
  guint n_words = g_strv_length (m->words);
  guint n_steps = r->job->text_only ? n_words : MAX (n_chunks (r, m),
      n_words);
  guint i;

  for (i = from; i < MIN (to, n_steps); i++)
    add_step (r, m, i);
}

static void
message_open (Response * r, Message * m)
{
  r->building = m;
  r->built_us = m->start_us;
  m->built_text = 0;
  rts_response_add (r, rts_output_item_event (r, "response.output_item.added",
          rts_message_item (r, m, "in_progress", -1), m->output_index), FALSE);
  rts_add_conversation_item (r, rts_message_item (r, m, "in_progress", -1),
      TRUE);
  add_content_part (r, m, "response.content_part.added");
}

/* The events that end @m, at the end of its audio (or words). */
static void
message_close (Response * r, Message * m)
{
  r->building = m;
  r->built_us = m->end_us;
  if (r->job->text_only) {
    add_text_done (r, m, "response.output_text.done", "text");
  } else {
    rts_response_add (r, message_event (r, m, "response.output_audio.done"),
        FALSE);
    add_text_done (r, m, "response.output_audio_transcript.done", "transcript");
  }
  add_content_part (r, m, "response.content_part.done");
  rts_response_add (r, rts_output_item_event (r, "response.output_item.done",
          rts_message_item (r, m, "completed", m->built_text),
          m->output_index), FALSE);
  rts_add_conversation_item (r, rts_message_item (r, m, "completed",
          m->built_text), FALSE);
  /* only building needs them */
  g_clear_pointer (&m->words, g_strfreev);
  g_clear_pointer (&m->audio, g_bytes_unref);
}

/* Message @k of @n, starting at @start_us: "Preamble K." before the
 * last, which says the reply. */
static Message *
message_new (Response * r, guint k, guint n, gint64 start_us)
{
  Message *m = g_new0 (Message, 1);
  gboolean last = k + 1 == n;
  guint n_words;
  gint64 word_us = r->job->text_only ? TEXT_WORD_US : AUDIO_CHUNK_US;

  m->id = rts_new_id (r->c->server, "item");
  m->text = last ? rts_reply_text (r->job) :
      g_strdup_printf ("Preamble %u.", k + 1);
  m->output_index = k;
  m->words = rts_split_words (m->text);
  n_words = g_strv_length (m->words);
  if (!r->job->text_only)
    m->audio = message_audio (r, n_words, last);
  m->start_us = start_us;
  m->end_us = start_us + MAX (n_words * word_us, m->audio ?
      audio_duration_us (&r->c->cfg.out_fmt, g_bytes_get_size (m->audio)) : 0);
  g_ptr_array_add (r->messages, m);
  return m;
}

/* Each message opens and sends its first step before the previous one
 * closes when interleaved, after it otherwise. */
void
rts_build_messages (Response * r)
{
  RealtimeTestServer *server = r->c->server;
  guint n = MAX (1, g_atomic_int_get (&server->items_per_response));
  gboolean interleave = g_atomic_int_get (&server->interleave_items);
  Message *m, *prev = NULL;
  guint k;

  for (k = 0; k < n; k++) {
    m = message_new (r, k, n, prev ? prev->end_us : 0);
    if (prev && !interleave)
      message_close (r, prev);
    message_open (r, m);
    add_steps (r, m, 0, 1);
    if (prev && interleave)
      message_close (r, prev);
    add_steps (r, m, 1, G_MAXUINT);
    prev = m;
  }
  message_close (r, prev);
  /* response.done follows, at the end of the last message */
  r->building = NULL;
}

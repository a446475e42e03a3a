/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The conversation as clients change it: committed user audio, items they
 * create (user text turns, function_call_output), truncate and delete,
 * and the transcripts of user audio. Connection.item_audio_us knows the
 * items, and how much audio the server sent of each, so that truncates
 * are checked as the real server checks them. */

#include "realtimetestserver-private.h"

/* A user transcript waiting for its turn's response.done. */
typedef struct
{
  gchar *item_id;
  guint turn;
  gdouble seconds;              /* of the turn's audio */
} Transcript;

static void
transcript_free (Transcript * t)
{
  g_free (t->item_id);
  g_free (t);
}

static JsonObject *
transcription_usage (guint n_words)
{
  JsonObject *usage = json_object_new ();
  JsonObject *details = json_object_new ();

  json_object_set_int_member (details, "text_tokens", 0);
  json_object_set_int_member (details, "audio_tokens", 10);
  json_object_set_string_member (usage, "type", "tokens");
  json_object_set_int_member (usage, "input_tokens", 10);
  json_object_set_int_member (usage, "output_tokens", n_words);
  json_object_set_int_member (usage, "total_tokens", 10 + n_words);
  json_object_set_object_member (usage, "input_token_details", details);
  return usage;
}

static JsonObject *
transcription_event (Connection * c, const gchar * type, const gchar * item_id)
{
  JsonObject *event = rts_new_event (c, type);

  json_object_set_string_member (event, "item_id", item_id);
  json_object_set_int_member (event, "content_index", 0);
  return event;
}

/* The language "detected": the one the session names, else the first of
 * the languages it expects, else English. */
static const gchar *
detected_language (Connection * c)
{
  JsonObject *input = rts_member_object (rts_member_object (c->session,
          "audio"), "input");
  JsonObject *transcription = c->beta ?
      rts_member_object (c->session, "input_audio_transcription") :
      rts_member_object (input, "transcription");
  const gchar *language = rts_member_string (transcription, "language");
  JsonNode *languages = transcription ?
      json_object_get_member (transcription, "languages") : NULL;

  if (language && *language)
    return language;
  if (languages && JSON_NODE_HOLDS_ARRAY (languages)
      && json_array_get_length (json_node_get_array (languages)) > 0)
    return json_array_get_string_element (json_node_get_array (languages), 0);
  return "en";
}

static JsonArray *
languages_array (Connection * c)
{
  JsonArray *languages = json_array_new ();
  JsonObject *language = json_object_new ();

  json_object_set_string_member (language, "code", detected_language (c));
  json_array_add_object_element (languages, language);
  return languages;
}

/* A diarizing model's segments: the first half of the words from speaker
 * A over the first 40 % of the turn's audio, the rest from B over the last
 * half (a pause between them). */
static void
send_segments (Connection * c, const gchar * item_id, gchar ** words,
    gdouble seconds)
{
  guint n = g_strv_length (words), half = (n + 1) / 2, k, i;
  static const gchar *const speakers[] = { "A", "B" };

  for (k = 0; k < 2; k++) {
    GString *text = g_string_new (NULL);
    JsonObject *event;
    gchar *id;

    for (i = k ? half : 0; i < (k ? n : half); i++)
      g_string_append (text, words[i]);
    if (text->len == 0) {
      g_string_free (text, TRUE);
      continue;
    }
    event = transcription_event (c,
        "conversation.item.input_audio_transcription.segment", item_id);
    id = rts_new_id (c->server, "seg");
    json_object_set_string_member (event, "id", id);
    json_object_set_string_member (event, "text", text->str);
    json_object_set_string_member (event, "speaker", speakers[k]);
    json_object_set_double_member (event, "start", k ? seconds / 2 : 0.0);
    json_object_set_double_member (event, "end", k ? seconds : seconds * 0.4);
    rts_send_event (c, event);
    g_free (id);
    g_string_free (text, TRUE);
  }
}

/* "Transcript of turn N.", one delta per word (or, diarized, two
 * segments), then completed with the detected language; turn 0 (audio
 * without speech) has an empty transcript, as silence gets. */
static void
send_transcript (Connection * c, const gchar * item_id, guint turn,
    gdouble seconds)
{
  gchar *text = turn ? g_strdup_printf ("Transcript of turn %u.", turn) :
      g_strdup ("");
  gchar **words = rts_split_words (text);
  JsonObject *event;
  guint i;

  if (c->cfg.diarize)
    send_segments (c, item_id, words, seconds);
  for (i = 0; words[i] && !c->cfg.diarize; i++) {
    event = transcription_event (c,
        "conversation.item.input_audio_transcription.delta", item_id);
    json_object_set_string_member (event, "delta", words[i]);
    rts_send_event (c, event);
  }
  event = transcription_event (c,
      "conversation.item.input_audio_transcription.completed", item_id);
  json_object_set_string_member (event, "transcript", text);
  json_object_set_object_member (event, "usage",
      transcription_usage (g_strv_length (words)));
  if (!c->beta)
    json_object_set_array_member (event, "languages", languages_array (c));
  rts_send_event (c, event);
  g_strfreev (words);
  g_free (text);
}

/* Sends the transcripts held back for turns up to @upto_turn. */
void
rts_flush_transcripts (Connection * c, guint upto_turn)
{
  Transcript *t;

  while ((t = g_queue_peek_head (&c->transcripts)) && t->turn <= upto_turn) {
    g_queue_pop_head (&c->transcripts);
    send_transcript (c, t->item_id, t->turn, t->seconds);
    transcript_free (t);
  }
}

/* Right away, or after the turn's response when the test asks for user
 * transcripts that arrive late; transcription sessions have no response
 * to wait for. */
static void
transcribe_turn (Connection * c, const gchar * item_id, gboolean voiced,
    gdouble seconds)
{
  Transcript *t;

  if (!voiced) {
    if (!g_atomic_int_get (&c->server->silence_untranscribed))
      send_transcript (c, item_id, 0, seconds);
    return;
  }
  if (!g_atomic_int_get (&c->server->transcript_after_response)
      || c->cfg.transcription_session) {
    send_transcript (c, item_id, c->turns, seconds);
    return;
  }
  t = g_new0 (Transcript, 1);
  t->item_id = g_strdup (item_id);
  t->turn = c->turns;
  t->seconds = seconds;
  g_queue_push_tail (&c->transcripts, t);
}

static JsonObject *
user_audio_item (const gchar * item_id)
{
  JsonObject *item = json_object_new ();
  JsonObject *content = json_object_new ();
  JsonArray *contents = json_array_new ();

  json_object_set_string_member (content, "type", "input_audio");
  json_array_add_object_element (contents, content);
  json_object_set_string_member (item, "id", item_id);
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "type", "message");
  json_object_set_string_member (item, "status", "completed");
  json_object_set_string_member (item, "role", "user");
  json_object_set_array_member (item, "content", contents);
  return item;
}

/* The user item enters the conversation: committed, added (and done),
 * then maybe its transcript. Takes @item_id and @audio. */
void
rts_commit_turn (Connection * c, gchar * item_id, GBytes * audio)
{
  JsonObject *event = rts_new_event (c, "input_audio_buffer.committed");

  rts_set_string_or_null (event, "previous_item_id", c->last_item_id);
  json_object_set_string_member (event, "item_id", item_id);
  rts_send_event (c, event);
  rts_send_item_added (c, user_audio_item (item_id));

  c->turns++;
  g_clear_pointer (&c->last_turn_audio, g_bytes_unref);
  c->last_turn_audio = audio;
  c->last_turn_rate = c->cfg.in_fmt.rate;
  if (c->cfg.transcribe)
    transcribe_turn (c, item_id, audio && rts_audio_is_voiced (c, audio),
        audio ? g_bytes_get_size (audio) / sizeof (gint16) /
        (gdouble) c->cfg.in_fmt.rate : 0.0);
  g_free (item_id);
}

void
rts_conversation_clear (Connection * c)
{
  g_queue_clear_full (&c->transcripts, (GDestroyNotify) transcript_free);
  g_ptr_array_set_size (c->function_outputs, 0);
}

/* A user message is a turn without audio; a function_call_output is kept
 * for the next response to answer. */
static void
note_created_item (Connection * c, JsonObject * item)
{
  const gchar *type = rts_member_string (item, "type");
  const gchar *output = rts_member_string (item, "output");

  if (g_strcmp0 (type, "function_call_output") == 0) {
    g_ptr_array_add (c->function_outputs, g_strdup (output ? output : ""));
  } else if (g_strcmp0 (type, "message") == 0
      && g_strcmp0 (rts_member_string (item, "role"), "user") == 0) {
    c->turns++;
    g_clear_pointer (&c->last_turn_audio, g_bytes_unref);
  }
}

void
rts_handle_item_create (Connection * c, JsonObject * event,
    const gchar * event_id)
{
  JsonObject *item = rts_member_object (event, "item");
  gchar *item_id;

  if (item == NULL) {
    rts_send_error (c, "missing_required_parameter",
        "Missing required parameter: 'item'.", "item", event_id);
    return;
  }
  if (!json_object_has_member (item, "id")) {
    item_id = rts_new_id (c->server, "item");
    json_object_set_string_member (item, "id", item_id);
    g_free (item_id);
  }
  json_object_set_string_member (item, "object", "realtime.item");
  json_object_set_string_member (item, "status", "completed");
  note_created_item (c, item);
  rts_send_item_added (c, json_object_ref (item));
}

/* Counts @audio_us more audio as sent of @item_id (0 to make the item
 * known). */
void
rts_conversation_note_item (Connection * c, const gchar * item_id,
    gint64 audio_us)
{
  gint64 *sent = g_hash_table_lookup (c->item_audio_us, item_id);

  if (sent == NULL) {
    sent = g_new0 (gint64, 1);
    g_hash_table_insert (c->item_audio_us, g_strdup (item_id), sent);
  }
  *sent += audio_us;
}

/* Why the real server would refuse a truncate of @item_id to @end_ms:
 * the error's message, with its @code and @param, or NULL when it would
 * accept it. @sent_us is the item's audio, NULL for an unknown item. */
static gchar *
truncate_refusal (const gchar * item_id, const gint64 * sent_us,
    gint64 end_ms, const gchar ** code, const gchar ** param)
{
  *param = NULL;
  if (sent_us == NULL) {
    *code = "item_truncate_invalid_item_id";
    *param = "item_id";
    return g_strdup_printf ("Error truncating item: the item with id '%s' "
        "does not exist.", item_id ? item_id : "");
  }
  /* user items, text, and audio items before their first delta */
  if (*sent_us <= 0) {
    *code = "unsupported_content_type";
    return g_strdup ("Only model output audio messages can be truncated");
  }
  if (end_ms < 0 || end_ms * 1000 > *sent_us) {
    *code = "invalid_value";
    *param = "audio_end_ms";
    return g_strdup_printf ("Audio content of %" G_GINT64_FORMAT "ms is "
        "already shorter than %" G_GINT64_FORMAT "ms", *sent_us / 1000, end_ms);
  }
  return NULL;
}

static void
send_truncated (Connection * c, const gchar * item_id, gint64 content_index,
    gint64 end_ms)
{
  JsonObject *reply = rts_new_event (c, "conversation.item.truncated");

  json_object_set_string_member (reply, "item_id", item_id);
  json_object_set_int_member (reply, "content_index", content_index);
  json_object_set_int_member (reply, "audio_end_ms", end_ms);
  rts_send_event (c, reply);
}

/* Recorded before it is answered, so that tests see it first. An
 * accepted truncate cuts the item's audio: a later one may only cut it
 * shorter. */
void
rts_handle_item_truncate (Connection * c, JsonObject * event,
    const gchar * event_id)
{
  const gchar *item_id = rts_member_string (event, "item_id");
  gint64 end_ms =
      json_object_get_int_member_with_default (event, "audio_end_ms", 0);
  gint64 *sent_us = item_id ?
      g_hash_table_lookup (c->item_audio_us, item_id) : NULL;
  RealtimeTestTruncate record = { "", end_ms, sent_us ? *sent_us / 1000 : -1,
    FALSE
  };
  const gchar *code, *param;
  gchar *refusal = truncate_refusal (item_id, sent_us, end_ms, &code,
      &param);

  g_strlcpy (record.item_id, item_id ? item_id : "", sizeof (record.item_id));
  record.accepted = refusal == NULL;
  rts_record_truncate (c->server, &record);
  if (refusal) {
    rts_send_error (c, code, refusal, param, event_id);
    g_free (refusal);
    return;
  }
  *sent_us = end_ms * 1000;
  send_truncated (c, item_id,
      json_object_get_int_member_with_default (event, "content_index", 0),
      end_ms);
}

void
rts_handle_item_delete (Connection * c, JsonObject * event,
    const gchar * event_id)
{
  JsonObject *reply = rts_new_event (c, "conversation.item.deleted");
  const gchar *item_id = rts_member_string (event, "item_id");

  if (item_id)
    g_hash_table_remove (c->item_audio_us, item_id);
  json_object_set_string_member (reply, "item_id", item_id ? item_id : "");
  rts_send_event (c, reply);
}

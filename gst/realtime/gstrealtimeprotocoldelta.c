/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The fast path for the deltas, most of what a session receives: audio,
 * its transcript, text, the user's transcript. Base64 audio is most of the
 * bytes, and json-glib would copy it into a tree, hash it when sealing the
 * tree and scan it again to check it; for the small text deltas, setting
 * up the parser is most of the cost. This reads the frame once, in place,
 * and decodes audio straight into the event's buffer.
 *
 * It takes only frames it fully understands: one object, keys and strings
 * of plain printable ASCII without escapes (but "\/" in base64), strict
 * JSON numbers, nesting no deeper than MAX_DEPTH, no key it reads twice,
 * and every field it reads well-typed and valid. Anything else returns
 * NULL and goes to the json-glib parser, which then gives the answer,
 * error or event; whatever this takes, json-glib accepts and reads the
 * same, so both paths give identical results. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimeprotocolpriv.h"

/* Nesting of values skipped inside the event; json-glib takes 64 levels in
 * all. Deltas carry no nested value today. */
#define MAX_DEPTH 16

/* ---------------------------------------------------------------------- */
/* Scanning JSON                                                          */
/* ---------------------------------------------------------------------- */

typedef struct
{
  const gchar *p;
  const gchar *end;
} Scanner;

/* A string's raw contents, between the quotes; str NULL for absent or
 * null. */
typedef struct
{
  const gchar *str;
  gsize len;
} Span;

static void
skip_space (Scanner * s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n'
          || *s->p == '\r'))
    s->p++;
}

/* Skips white space, then @c. */
static gboolean
scan_char (Scanner * s, gchar c)
{
  skip_space (s);
  if (s->p == s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

static gboolean
peek_char (Scanner * s, gchar c)
{
  skip_space (s);
  return s->p < s->end && *s->p == c;
}

static gboolean
scan_literal (Scanner * s, const gchar * word, gsize len)
{
  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

#define SCAN_LITERAL(s, word) scan_literal (s, word, sizeof (word) - 1)

/* Printable ASCII but the backslash: no escape, nothing for json-glib to
 * check as UTF-8 */
static gboolean
is_plain_char (guchar c)
{
  return c >= 0x20 && c <= 0x7e && c != '\\';
}

/* A string of plain characters, quotes included. */
static gboolean
scan_plain_string (Scanner * s, Span * span)
{
  const gchar *p;

  if (!scan_char (s, '"'))
    return FALSE;
  for (p = s->p; p < s->end && *p != '"'; p++) {
    if (!is_plain_char (*p))
      return FALSE;
  }
  if (p == s->end)
    return FALSE;
  span->str = s->p;
  span->len = p - s->p;
  s->p = p + 1;
  return TRUE;
}

/* The payload, up to the next quote: decoding it checks every byte, and an
 * escaped quote leaves a backslash at its end, which decoding refuses. */
static gboolean
scan_raw_string (Scanner * s, Span * span)
{
  const gchar *quote;

  if (!scan_char (s, '"'))
    return FALSE;
  quote = memchr (s->p, '"', s->end - s->p);
  if (quote == NULL)
    return FALSE;
  span->str = s->p;
  span->len = quote - s->p;
  s->p = quote + 1;
  return TRUE;
}

static gboolean
is_digit (gchar c)
{
  return c >= '0' && c <= '9';
}

static gboolean
skip_digits (Scanner * s)
{
  const gchar *start = s->p;

  while (s->p < s->end && is_digit (*s->p))
    s->p++;
  return s->p > start;
}

static gboolean
skip_optional (Scanner * s, gchar c)
{
  if (s->p < s->end && *s->p == c) {
    s->p++;
    return TRUE;
  }
  return FALSE;
}

/* A number as RFC 8259 has it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
skip_number (Scanner * s)
{
  skip_optional (s, '-');
  if (!skip_optional (s, '0') && !skip_digits (s))
    return FALSE;
  if (skip_optional (s, '.') && !skip_digits (s))
    return FALSE;
  if (skip_optional (s, 'e') || skip_optional (s, 'E')) {
    if (!skip_optional (s, '+'))
      skip_optional (s, '-');
    if (!skip_digits (s))
      return FALSE;
  }
  return TRUE;
}

/* An index as the slow path reads it: null, or an integer from 0 to
 * G_MAXINT without sign, fraction or exponent (those go to json-glib). */
static gboolean
scan_index (Scanner * s, gint * value)
{
  const gchar *start;
  gint64 v = 0;

  skip_space (s);
  if (SCAN_LITERAL (s, "null"))
    return TRUE;
  start = s->p;
  if (s->p < s->end && *s->p == '0') {
    s->p++;
  } else {
    for (; s->p < s->end && is_digit (*s->p) && s->p - start < 10; s->p++)
      v = v * 10 + (*s->p - '0');
  }
  if (s->p == start || v > G_MAXINT)
    return FALSE;
  *value = (gint) v;
  return TRUE;
}

/* A string field the event keeps: a plain string, or null. */
static gboolean
scan_id (Scanner * s, Span * span)
{
  skip_space (s);
  if (SCAN_LITERAL (s, "null")) {
    span->str = NULL;
    return TRUE;
  }
  return scan_plain_string (s, span);
}

static gboolean skip_value (Scanner * s, guint depth);

static gboolean
skip_array (Scanner * s, guint depth)
{
  if (peek_char (s, ']'))
    return scan_char (s, ']');
  do {
    if (!skip_value (s, depth))
      return FALSE;
  } while (scan_char (s, ','));
  return scan_char (s, ']');
}

static gboolean
skip_object (Scanner * s, guint depth)
{
  Span key;

  if (peek_char (s, '}'))
    return scan_char (s, '}');
  do {
    if (!scan_plain_string (s, &key) || !scan_char (s, ':')
        || !skip_value (s, depth))
      return FALSE;
  } while (scan_char (s, ','));
  return scan_char (s, '}');
}

/* A value the event does not read; @depth counts the enclosing levels. */
static gboolean
skip_value (Scanner * s, guint depth)
{
  Span span;

  skip_space (s);
  if (s->p == s->end)
    return FALSE;
  switch (*s->p) {
    case '"':
      return scan_plain_string (s, &span);
    case '{':
      s->p++;
      return depth < MAX_DEPTH && skip_object (s, depth + 1);
    case '[':
      s->p++;
      return depth < MAX_DEPTH && skip_array (s, depth + 1);
    case 't':
      return SCAN_LITERAL (s, "true");
    case 'f':
      return SCAN_LITERAL (s, "false");
    case 'n':
      return SCAN_LITERAL (s, "null");
    default:
      return skip_number (s);
  }
}

/* ---------------------------------------------------------------------- */
/* The fields of a delta                                                  */
/* ---------------------------------------------------------------------- */

typedef enum
{
  KEY_TYPE,
  KEY_EVENT_ID,
  KEY_RESPONSE_ID,
  KEY_ITEM_ID,
  KEY_OUTPUT_INDEX,
  KEY_CONTENT_INDEX,
  KEY_DELTA,
  N_KEYS
} Key;

typedef struct
{
  const gchar *str;
  gsize len;
} Name;

#define NAME(str) { str, sizeof (str) - 1 }

static const Name key_names[N_KEYS] = {
  NAME ("type"), NAME ("event_id"), NAME ("response_id"), NAME ("item_id"),
  NAME ("output_index"), NAME ("content_index"), NAME ("delta"),
};

/* The deltas, GA and beta names, with the fields the slow path reads for
 * them (see event_kinds in gstrealtimeprotocolparse.c): those of a
 * response's output carry FIELDS_OUTPUT, the user's transcript only an
 * item_id and a content_index. */
typedef struct
{
  Name name;
  GstRealtimeEventType type;
  gboolean output;              /* response_id and output_index too */
} DeltaKind;

static const DeltaKind delta_kinds[] = {
  {NAME ("response.output_audio.delta"), GST_REALTIME_EVENT_AUDIO_DELTA,
      TRUE},
  {NAME ("response.audio.delta"), GST_REALTIME_EVENT_AUDIO_DELTA, TRUE},
  {NAME ("response.output_audio_transcript.delta"),
      GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA, TRUE},
  {NAME ("response.audio_transcript.delta"),
      GST_REALTIME_EVENT_AUDIO_TRANSCRIPT_DELTA, TRUE},
  {NAME ("response.output_text.delta"), GST_REALTIME_EVENT_TEXT_DELTA, TRUE},
  {NAME ("response.text.delta"), GST_REALTIME_EVENT_TEXT_DELTA, TRUE},
  {NAME ("conversation.item.input_audio_transcription.delta"),
      GST_REALTIME_EVENT_INPUT_TRANSCRIPT_DELTA, FALSE},
};

typedef struct
{
  const DeltaKind *kind;
  Span ids[N_KEYS];             /* event_id, response_id and item_id */
  gint output_index;
  gint content_index;
  Span delta;
  guint seen;                   /* 1 << Key of each key read */
} Fields;

static gboolean
span_equal (const Span * span, const Name * name)
{
  return span->len == name->len && memcmp (span->str, name->str,
      span->len) == 0;
}

static Key
find_key (const Span * key)
{
  guint i;

  for (i = 0; i < N_KEYS; i++) {
    if (span_equal (key, &key_names[i]))
      return i;
  }
  return N_KEYS;
}

/* Only the delta types stay on this path. */
static gboolean
scan_type (Scanner * s, Fields * fields)
{
  Span span;
  guint i;

  if (!scan_plain_string (s, &span))
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (delta_kinds); i++) {
    if (span_equal (&span, &delta_kinds[i].name)) {
      fields->kind = &delta_kinds[i];
      return TRUE;
    }
  }
  return FALSE;
}

/* A null delta is an error the slow path reports. The delta is checked
 * once the type is known. */
static gboolean
scan_member_value (Scanner * s, Key key, Fields * fields)
{
  switch (key) {
    case KEY_TYPE:
      return scan_type (s, fields);
    case KEY_OUTPUT_INDEX:
      return scan_index (s, &fields->output_index);
    case KEY_CONTENT_INDEX:
      return scan_index (s, &fields->content_index);
    case KEY_DELTA:
      return scan_raw_string (s, &fields->delta);
    case N_KEYS:
      return skip_value (s, 0);
    default:
      return scan_id (s, &fields->ids[key]);
  }
}

/* json-glib keeps the last of duplicate keys; this path reads none twice. */
static gboolean
scan_member (Scanner * s, Fields * fields)
{
  Span name;
  Key key;

  if (!scan_plain_string (s, &name) || !scan_char (s, ':'))
    return FALSE;
  key = find_key (&name);
  if (key != N_KEYS) {
    if (fields->seen & (1u << key))
      return FALSE;
    fields->seen |= 1u << key;
  }
  return scan_member_value (s, key, fields);
}

static gboolean
scan_event (Scanner * s, Fields * fields)
{
  if (!scan_char (s, '{'))
    return FALSE;
  do {
    if (!scan_member (s, fields))
      return FALSE;
  } while (scan_char (s, ','));
  if (!scan_char (s, '}'))
    return FALSE;
  skip_space (s);
  return s->p == s->end && fields->kind != NULL && fields->delta.str != NULL;
}

/* ---------------------------------------------------------------------- */
/* Base64                                                                 */
/* ---------------------------------------------------------------------- */

/* Each base64 character's value plus one; 0 for any other byte. */
/* *INDENT-OFF* */
static const guint8 base64_values[256] = {
  ['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
  ['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
  ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18,
  ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
  ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30,
  ['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
  ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
  ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
  ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54,
  ['2'] = 55, ['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60,
  ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
};
/* *INDENT-ON* */

/* Four characters as 24 bits, or -1 when one is not base64. */
static gint32
decode_quad (const guchar * in)
{
  guint32 a = base64_values[in[0]] - 1u, b = base64_values[in[1]] - 1u;
  guint32 c = base64_values[in[2]] - 1u, d = base64_values[in[3]] - 1u;

  if ((a | b | c | d) & ~0x3fu)
    return -1;
  return (gint32) (a << 18 | b << 12 | c << 6 | d);
}

/* The last quad, which may end in "=" or "=="; returns the bytes it
 * holds, or -1. What padding hides is dropped, as the slow path does. */
static gint
decode_last_quad (const guchar * in, guint8 * out)
{
  guchar quad[4];
  gint n = 3;
  gint32 v;

  memcpy (quad, in, 4);
  if (quad[3] == '=') {
    n = quad[2] == '=' ? 1 : 2;
    quad[3] = 'A';
    if (n == 1)
      quad[2] = 'A';
  }
  if ((v = decode_quad (quad)) < 0)
    return -1;
  out[0] = v >> 16;
  out[1] = v >> 8;
  out[2] = v;
  return n;
}

/* Strict RFC 4648 base64, as base64_check() and EVP_DecodeBlock() take it
 * in the slow path: a multiple of four characters, '=' only as one or two
 * characters of padding. */
static gboolean
decode_base64 (const guchar * in, gsize len, guint8 ** out, gsize * out_size)
{
  guint8 *data, *o;
  gsize i;
  gint32 v;
  gint n;

  *out = NULL;
  *out_size = 0;
  if (len % 4 != 0 || len > G_MAXINT)
    return FALSE;
  if (len == 0)
    return TRUE;

  o = data = g_malloc (len / 4 * 3);
  for (i = 0; i + 4 < len; i += 4, o += 3) {
    if ((v = decode_quad (in + i)) < 0)
      goto invalid;
    o[0] = v >> 16;
    o[1] = v >> 8;
    o[2] = v;
  }
  if ((n = decode_last_quad (in + i, o)) < 0)
    goto invalid;
  *out = data;
  *out_size = o + n - data;
  return TRUE;

invalid:
  g_free (data);
  return FALSE;
}

/* JSON may escape '/', which base64 uses: drops the backslash of each
 * "\/" into a new string; any other escape fails. */
static gchar *
unescape_slashes (const Span * span, gsize * len)
{
  gchar *out = g_malloc (span->len), *o = out;
  gsize i;

  for (i = 0; i < span->len; i++) {
    if (span->str[i] == '\\') {
      if (++i == span->len || span->str[i] != '/') {
        g_free (out);
        return NULL;
      }
    }
    *o++ = span->str[i];
  }
  *len = o - out;
  return out;
}

static gboolean
decode_delta (const Span * span, guint8 ** out, gsize * out_size)
{
  gchar *unescaped;
  gsize len;
  gboolean ok;

  if (memchr (span->str, '\\', span->len) == NULL)
    return decode_base64 ((const guchar *) span->str, span->len, out, out_size);

  if ((unescaped = unescape_slashes (span, &len)) == NULL)
    return FALSE;
  ok = decode_base64 ((const guchar *) unescaped, len, out, out_size);
  g_free (unescaped);
  return ok;
}

/* ---------------------------------------------------------------------- */
/* The event                                                              */
/* ---------------------------------------------------------------------- */

static gchar *
span_dup (const Span * span)
{
  return span->str != NULL ? g_strndup (span->str, span->len) : NULL;
}

/* Text is taken as it is only when it is plain: then the delta's span
 * also ends at its real closing quote. */
static gboolean
span_is_plain (const Span * span)
{
  gsize i;

  for (i = 0; i < span->len; i++) {
    if (!is_plain_char (span->str[i]))
      return FALSE;
  }
  return TRUE;
}

static gboolean
read_delta (const Fields * fields, GstRealtimeServerEvent * event)
{
  if (fields->kind->type == GST_REALTIME_EVENT_AUDIO_DELTA)
    return decode_delta (&fields->delta, &event->audio, &event->audio_size);
  if (!span_is_plain (&fields->delta))
    return FALSE;
  event->text = span_dup (&fields->delta);
  return TRUE;
}

static GstRealtimeServerEvent *
make_event (const Fields * fields)
{
  GstRealtimeServerEvent *event;

  event = gst_realtime_protocol_event_new (fields->kind->name.str);
  if (!read_delta (fields, event)) {
    gst_realtime_server_event_free (event);
    return NULL;
  }
  event->type = fields->kind->type;
  event->event_id = span_dup (&fields->ids[KEY_EVENT_ID]);
  event->item_id = span_dup (&fields->ids[KEY_ITEM_ID]);
  event->content_index = fields->content_index;
  /* the slow path does not read these for the user's transcript: they
   * keep their defaults, and had they been ill-typed, the frame would have
   * gone to the slow path, which ignores them too */
  if (fields->kind->output) {
    event->response_id = span_dup (&fields->ids[KEY_RESPONSE_ID]);
    event->output_index = fields->output_index;
  }
  return event;
}

GstRealtimeServerEvent *
gst_realtime_protocol_parse_delta (const gchar * data, gsize size)
{
  Scanner s = { data, data + size };
  Fields fields = { NULL, };

  if (data == NULL)
    return NULL;
  fields.output_index = -1;
  fields.content_index = -1;
  if (!scan_event (&s, &fields))
    return NULL;
  return make_event (&fields);
}

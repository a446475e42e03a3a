/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* JSON helpers the rest of the protocol layer shares: integers in JSON
 * values, serialising an object, and the strict pre-check every JSON input
 * passes before json-glib sees it. The smallest accessors are inline in
 * gstrealtimeprotocolpriv.h. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstrealtimeprotocolpriv.h"

/* json-glib 1.6 recurses once per nesting level and overflows the stack on
 * deep input; real events nest less than ten levels. */
#define MAX_JSON_DEPTH 64

/* ---------------------------------------------------------------------- */
/* JSON values                                                            */
/* ---------------------------------------------------------------------- */

/* A non-negative integer up to @max; integral JSON doubles (1000.0) are
 * taken too. */
gboolean
gst_realtime_protocol_node_to_int (JsonNode * node, gint64 max, gint64 * value)
{
  GType type;
  gint64 i;
  gdouble d;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64) {
    i = json_node_get_int (node);
  } else if (type == G_TYPE_DOUBLE) {
    d = json_node_get_double (node);
    /* (gdouble) max + 1.0 is a power of two for both gint and gint64; the
     * comparisons are false for NaN */
    if (!(d >= 0.0 && d < (gdouble) max + 1.0))
      return FALSE;
    i = (gint64) d;
    if ((gdouble) i != d)
      return FALSE;
  } else {
    return FALSE;
  }
  if (i < 0 || i > max)
    return FALSE;
  *value = i;
  return TRUE;
}

gchar *
gst_realtime_protocol_object_to_string (JsonObject * object)
{
  JsonNode *node = object_node (object);
  gchar *json = json_to_string (node, FALSE);

  json_node_unref (node);
  return json;
}

/* ---------------------------------------------------------------------- */
/* Strict JSON                                                            */
/* ---------------------------------------------------------------------- */

static gboolean
is_bare_json_char (guchar c)
{
  static const gchar bare[] = " \t\n\r:,+-.0123456789eEtrufalsn";

  return c != '\0' && memchr (bare, c, sizeof (bare) - 1) != NULL;
}

/* Skips the rest of a string whose opening quote is before @p; returns the
 * position after its closing quote, or NULL when it is unterminated. */
static const gchar *
skip_string (const gchar * p, const gchar * end)
{
  const gchar *quote, *back;

  while ((quote = memchr (p, '"', end - p)) != NULL) {
    back = quote;
    while (back > p && back[-1] == '\\')
      back--;
    if ((quote - back) % 2 == 0)
      return quote + 1;
    p = quote + 1;
  }
  return NULL;
}

/* Whether [p, end) holds a \u0000 escape: json-glib turns it into a NUL
 * that would cut the string short. */
static gboolean
has_nul_escape (const gchar * p, const gchar * end)
{
  const gchar *hit, *back;

  while ((hit = g_strstr_len (p, end - p, "\\u0000")) != NULL) {
    for (back = hit; back > p && back[-1] == '\\'; back--);
    if ((hit - back) % 2 == 0)
      return TRUE;
    p = hit + 1;
  }
  return FALSE;
}

static gboolean
is_json_space (gchar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A linear pass before json-glib sees the data: it bounds the nesting depth
 * and rejects what is not strict JSON outside strings (json-glib 1.6 also
 * takes comments, single-quoted strings and hex numbers, which would hide
 * brackets from this count) and any object or array after the first value:
 * json-glib 1.6 returns a scalar root such as `1{...}` and leaks the
 * object after it. */
gboolean
gst_realtime_protocol_json_is_plain (const gchar * data, gsize size)
{
  const gchar *p = data, *end = data + size, *string;
  guint depth = 0;
  gboolean closed = FALSE;

  while (p != NULL && p < end) {
    switch (*p) {
      case '"':
        closed |= depth == 0;
        string = p + 1;
        p = skip_string (string, end);
        if (p && has_nul_escape (string, p))
          return FALSE;
        continue;
      case '{':
      case '[':
        if (closed || ++depth > MAX_JSON_DEPTH)
          return FALSE;
        break;
      case '}':
      case ']':
        if (depth == 0)
          return FALSE;
        closed = --depth == 0;
        break;
      default:
        if (!is_bare_json_char (*p))
          return FALSE;
        closed |= depth == 0 && !is_json_space (*p);
        break;
    }
    p++;
  }
  return p != NULL && depth == 0;
}

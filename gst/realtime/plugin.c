/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <glib/gstdio.h>

#include "gstrealtimeai.h"
#include "gstrealtimei18n.h"

#ifdef ENABLE_NLS
/* Whether @plugin was loaded from the build tree (by GST_PLUGIN_PATH or
 * meson devenv), whatever path named it. */
static gboolean
loaded_from_build_tree (GstPlugin * plugin)
{
  const gchar *filename = gst_plugin_get_filename (plugin);
  gchar *dir = filename ? g_path_get_dirname (filename) : NULL;
  GStatBuf loaded, built;
  gboolean same = dir && g_stat (dir, &loaded) == 0
      && g_stat (PLUGIN_BUILDDIR, &built) == 0
      && loaded.st_dev == built.st_dev && loaded.st_ino == built.st_ino;

  g_free (dir);
  return same;
}
#endif

static gboolean
plugin_init (GstPlugin * plugin)
{
#ifdef ENABLE_NLS
  /* the build tree has the catalogues too: messages there are translated
   * before anything is installed */
  bindtextdomain (GETTEXT_PACKAGE, loaded_from_build_tree (plugin) ?
      BUILD_LOCALEDIR : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
#endif

  return GST_ELEMENT_REGISTER (realtimeai, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, realtime,
    "Realtime speech AI (OpenAI Realtime API and compatible servers)",
    plugin_init, PACKAGE_VERSION, GST_LICENSE, GST_PACKAGE_NAME,
    GST_PACKAGE_ORIGIN)

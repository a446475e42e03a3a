/* gst-realtime
 * Copyright (C) 2026 gst-realtime authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_REALTIME_I18N_H__
#define __GST_REALTIME_I18N_H__

/* _() looks messages up in the plugin's own gettext domain. */
#include <glib/gi18n-lib.h>

#endif /* __GST_REALTIME_I18N_H__ */

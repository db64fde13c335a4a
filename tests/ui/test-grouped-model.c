/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PbGroupedModel: the integration list with a header before each connector's group. Each
 * change of its source comes out as the smallest items-changed for what changed (one row
 * replaced: (row, 1, 1); a row that moved: its removal and its insertion, with its header
 * only when its group appears or goes), and the model always holds what grouping the source
 * from scratch gives. */
#define G_LOG_DOMAIN "test-grouped-model"

#include "config.h"

#include <gtk/gtk.h>
#include <libglib-testing/signal-logger.h>

#include "pb-core.h"
#include "pb-grouped-model.h"

typedef struct
{
  GListStore     *source;
  PbGroupedModel *grouped;
  GtSignalLogger *logger;
} Fixture;

static PbIntegration *
integration_new (const char *connector,
                 const char *name)
{
  g_autoptr(JsonObject) json = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%s/%s", connector, name);
  g_autofree char *label = g_strdup_printf ("Connector %s", connector);
  JsonArray *categories = json_array_new ();
  PbIntegration *integration;

  json_array_add_string_element (categories, "hris");
  json_object_set_string_member (json, "id", id);
  json_object_set_string_member (json, "name", name);
  json_object_set_string_member (json, "connector_key", connector);
  json_object_set_string_member (json, "connector_label", label);
  json_object_set_array_member (json, "categories", categories);
  json_object_set_string_member (json, "authentication_config_key", "api_key");
  json_object_set_boolean_member (json, "active", TRUE);
  json_object_set_boolean_member (json, "default", FALSE);
  integration = pb_integration_new_from_json (json, &error);
  g_assert_no_error (error);
  return integration;
}

/* "A1 A2 B1": integrations named by connector letter and number. */
static void
append_items (GListStore *store,
              const char *items)
{
  g_auto(GStrv) names = g_strsplit (items, " ", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *connector = g_strndup (names[i], 1);
      g_autoptr(PbIntegration) integration = integration_new (connector, names[i]);

      g_list_store_append (store, integration);
    }
}

/* "[A] A1 A2 [B] B1": the model's items, headers in brackets. */
static char *
describe (GListModel *model)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      if (PB_IS_CONNECTOR_HEADER (item))
        g_string_append_printf (text, "[%s]",
                                pb_connector_header_get_connector_label (PB_CONNECTOR_HEADER (item))
                                + strlen ("Connector "));
      else
        g_string_append (text, pb_integration_get_name (PB_INTEGRATION (item)));
    }
  return g_string_free (text, FALSE);
}

/* The model is what grouping its source from scratch gives. */
static void
assert_consistent (Fixture *fixture)
{
  g_autoptr(PbGroupedModel) fresh = pb_grouped_model_new (G_LIST_MODEL (fixture->source));
  g_autofree char *expected = describe (G_LIST_MODEL (fresh));
  g_autofree char *got = describe (G_LIST_MODEL (fixture->grouped));
  guint n_items = 0;

  g_assert_cmpstr (got, ==, expected);
  g_object_get (fixture->grouped, "n-items", &n_items, NULL);
  g_assert_cmpuint (n_items, ==, g_list_model_get_n_items (G_LIST_MODEL (fixture->grouped)));
}

static void
assert_items_changed (Fixture *fixture,
                      guint    position,
                      guint    removed,
                      guint    added)
{
  guint got_position = G_MAXUINT, got_removed = G_MAXUINT, got_added = G_MAXUINT;

  gt_signal_logger_assert_emission_pop (fixture->logger, fixture->grouped, "items-changed",
                                        &got_position, &got_removed, &got_added);
  if (got_position != position || got_removed != removed || got_added != added)
    {
      g_autofree char *message =
        g_strdup_printf ("Expected items-changed (%u, %u, %u), saw (%u, %u, %u)",
                         position, removed, added, got_position, got_removed, got_added);

      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
    }
}

/* The n-items notification that goes with a change of length. */
static void
assert_n_items_notified (Fixture *fixture)
{
  gt_signal_logger_assert_notify_emission_pop (fixture->logger, fixture->grouped, "n-items");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->source = g_list_store_new (PB_TYPE_INTEGRATION);
  append_items (fixture->source, data != NULL ? data : "A1 A2 B1 C1 C2 C3");
  fixture->grouped = pb_grouped_model_new (G_LIST_MODEL (fixture->source));
  fixture->logger = gt_signal_logger_new ();
  gt_signal_logger_connect (fixture->logger, fixture->grouped, "items-changed");
  gt_signal_logger_connect (fixture->logger, fixture->grouped, "notify");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gt_signal_logger_assert_no_emissions (fixture->logger);
  g_clear_pointer (&fixture->logger, gt_signal_logger_free);
  g_clear_object (&fixture->grouped);
  g_clear_object (&fixture->source);
}

static void
test_grouped_initial (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *text = describe (G_LIST_MODEL (fixture->grouped));

  g_assert_cmpstr (text, ==, "[A] A1 A2 [B] B1 [C] C1 C2 C3");
}

/* A row replaced by its new version, in the same group: that row only. */
static void
test_grouped_replace_row (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PbIntegration) c2 = integration_new ("C", "C2");

  g_list_store_splice (fixture->source, 4, 1, (gpointer *) &c2, 1);
  assert_items_changed (fixture, 7, 1, 1);
  assert_consistent (fixture);
}

/* The first row of a group replaced: its header stays, so the row only. */
static void
test_grouped_replace_first_of_group (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(PbIntegration) a1 = integration_new ("A", "A1");

  g_list_store_splice (fixture->source, 0, 1, (gpointer *) &a1, 1);
  assert_items_changed (fixture, 1, 1, 1);
  assert_consistent (fixture);
}

/* A row that moves (as the store moves a renamed row: removed, then inserted at its new
 * place) within its group: one removal, one insertion, the header left alone. */
static void
test_grouped_move_within_group (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PbIntegration) c1 = integration_new ("C", "C9");

  g_list_store_remove (fixture->source, 3);
  assert_items_changed (fixture, 6, 1, 0);
  assert_n_items_notified (fixture);
  g_list_store_insert (fixture->source, 5, c1);
  assert_items_changed (fixture, 8, 0, 1);
  assert_n_items_notified (fixture);
  assert_consistent (fixture);
}

/* The only row of a group goes: the row and its header. */
static void
test_grouped_remove_group (Fixture       *fixture,
                           gconstpointer  data)
{
  g_list_store_remove (fixture->source, 2);
  assert_items_changed (fixture, 3, 2, 0);
  assert_n_items_notified (fixture);
  assert_consistent (fixture);
}

/* The first row of a group of several goes: the header stays. */
static void
test_grouped_remove_first_of_group (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_list_store_remove (fixture->source, 3);
  assert_items_changed (fixture, 6, 1, 0);
  assert_n_items_notified (fixture);
  assert_consistent (fixture);
}

/* A row of a new connector between two groups: the row and its new header. */
static void
test_grouped_insert_group (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PbIntegration) b9 = integration_new ("Bb", "Bb9");

  g_list_store_insert (fixture->source, 3, b9);
  assert_items_changed (fixture, 5, 0, 2);
  assert_n_items_notified (fixture);
  assert_consistent (fixture);
}

/* Rows added at the start and at the end of existing groups: the row only. */
static void
test_grouped_insert_at_edges (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(PbIntegration) a0 = integration_new ("A", "A0");
  g_autoptr(PbIntegration) c4 = integration_new ("C", "C4");

  g_list_store_insert (fixture->source, 0, a0);
  assert_items_changed (fixture, 1, 0, 1);
  assert_n_items_notified (fixture);
  g_list_store_append (fixture->source, c4);
  assert_items_changed (fixture, 10, 0, 1);
  assert_n_items_notified (fixture);
  assert_consistent (fixture);
}

/* A row moved to another connector's group, and a group split by a row of another
 * connector put in its middle (a source need not be sorted for the model to be right). */
static void
test_grouped_regroup (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PbIntegration) b2 = integration_new ("B", "B2");
  g_autoptr(PbIntegration) x1 = integration_new ("X", "X1");

  /* A2 becomes B2: removed from A's group, added to B's. */
  g_list_store_remove (fixture->source, 1);
  assert_items_changed (fixture, 2, 1, 0);
  assert_n_items_notified (fixture);
  g_list_store_insert (fixture->source, 2, b2);
  assert_items_changed (fixture, 4, 0, 1);
  assert_n_items_notified (fixture);
  assert_consistent (fixture);

  /* X1 between C1 and C2: [C] C1 [X] X1 [C] C2 C3. */
  g_list_store_insert (fixture->source, 4, x1);
  assert_items_changed (fixture, 7, 0, 3);
  assert_n_items_notified (fixture);
  assert_consistent (fixture);
  g_list_store_remove (fixture->source, 4);
  assert_items_changed (fixture, 7, 3, 0);
  assert_n_items_notified (fixture);
  assert_consistent (fixture);
}

/* Everything replaced at once, and emptied. */
static void
test_grouped_wholesale (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GListStore) other = g_list_store_new (PB_TYPE_INTEGRATION);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  append_items (other, "B1 D1 D2");
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (other)); i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (other), i));
  g_list_store_splice (fixture->source, 0, 6, items->pdata, items->len);
  assert_items_changed (fixture, 0, 9, 5);
  assert_n_items_notified (fixture);
  assert_consistent (fixture);

  g_list_store_remove_all (fixture->source);
  assert_items_changed (fixture, 0, 5, 0);
  assert_n_items_notified (fixture);
  assert_consistent (fixture);
}

/* Random changes through a filter, as the window's list has it: after each, the model is
 * what grouping from scratch gives. */
static gboolean
keep_cb (gpointer item,
         gpointer user_data)
{
  guint modulo = *(guint *) user_data;

  return modulo == 0 || g_str_hash (pb_integration_get_name (item)) % modulo != 0;
}

static void
test_grouped_random (void)
{
  g_autoptr(GListStore) store = g_list_store_new (PB_TYPE_INTEGRATION);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);
  guint modulo = 0;
  GtkCustomFilter *filter = gtk_custom_filter_new (keep_cb, &modulo, NULL);
  g_autoptr(GtkFilterListModel) filtered =
    gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (store)), GTK_FILTER (filter));
  g_autoptr(PbGroupedModel) grouped = pb_grouped_model_new (G_LIST_MODEL (filtered));
  guint serial = 0;

  for (guint step = 0; step < 2000; step++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
      guint what = g_rand_int_range (rand, 0, 10);

      if (what < 5 || n == 0)
        {
          /* A row at a random place, of the connector before or after it, or a new one. */
          guint position = g_rand_int_range (rand, 0, n + 1);
          g_autofree char *connector = g_strdup_printf ("%c", 'A' + g_rand_int_range (rand, 0, 8));
          g_autofree char *name = g_strdup_printf ("%s%u", connector, serial++);
          g_autoptr(PbIntegration) integration = integration_new (connector, name);

          g_list_store_insert (store, position, integration);
        }
      else if (what < 8)
        {
          guint position = g_rand_int_range (rand, 0, n);
          guint count = g_rand_int_range (rand, 1, 4);

          count = MIN (n - position, count);

          g_list_store_splice (store, position, count, NULL, 0);
        }
      else
        {
          modulo = g_rand_int_range (rand, 0, 4);
          gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_DIFFERENT);
        }

      {
        g_autoptr(PbGroupedModel) fresh = pb_grouped_model_new (G_LIST_MODEL (filtered));
        g_autofree char *expected = describe (G_LIST_MODEL (fresh));
        g_autofree char *got = describe (G_LIST_MODEL (grouped));

        g_assert_cmpstr (got, ==, expected);
      }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/grouped-model/initial", test_grouped_initial);
  ADD ("/grouped-model/replace-row", test_grouped_replace_row);
  ADD ("/grouped-model/replace-first-of-group", test_grouped_replace_first_of_group);
  ADD ("/grouped-model/move-within-group", test_grouped_move_within_group);
  ADD ("/grouped-model/remove-group", test_grouped_remove_group);
  ADD ("/grouped-model/remove-first-of-group", test_grouped_remove_first_of_group);
  ADD ("/grouped-model/insert-group", test_grouped_insert_group);
  ADD ("/grouped-model/insert-at-edges", test_grouped_insert_at_edges);
  ADD ("/grouped-model/regroup", test_grouped_regroup);
  ADD ("/grouped-model/wholesale", test_grouped_wholesale);
#undef ADD
  g_test_add_func ("/grouped-model/random", test_grouped_random);

  return g_test_run ();
}

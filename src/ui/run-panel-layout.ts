/**
 * Relatives the `runs show` panel lists (an ingest run has one child per window, thousands of
 * them); the rest are counted. Apart from the panel so that the command can read just these many
 * without loading the view.
 */
export const MAX_LISTED_RELATIVES = 10;

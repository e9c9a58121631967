/** The fast paths' source texts (see ansi-fast-paths.js). */
export const SAME_ANSI_CODES_SOURCE: string;
export const DIFF_FAST_PATH: string;
export const TO_STRING_FAST_PATH: string;

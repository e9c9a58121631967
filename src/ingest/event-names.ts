import {NOTICE_NAME_PATTERNS} from './notices.js';

/**
 * The people named in system events ("Alice added Bob and Carol", "Dan left", "Eve changed the
 * subject…"), so that their names are pseudonymized in every message even if they never write.
 */

/** Patterns whose groups are an actor or a list of people. English first, then the locales we know. */
const EVENT_PATTERNS: readonly RegExp[] = [
  /^(.+?) added (.+)$/,
  /^(.+?) removed (.+)$/,
  /^(.+?) left$/,
  /^(.+?) joined using (?:this group's|an|a) invite link$/,
  /^(.+?) joined from the community$/,
  /^(.+?) requested to join$/,
  /^(.+?) created (?:group ".*"|this group|the group ".*")$/s,
  /^(.+?) changed the subject (?:from .* )?to .*$/s,
  /^(.+?) changed (?:this group's|the group) (?:icon|settings|description|name)/,
  /^(.+?) deleted this group's icon$/,
  /^(.+?) changed their phone number/,
  /^(.+?) changed to (.+)$/,
  /^(.+?) was (?:added|removed)$/,
  /^(.+?) pinned a message$/,
  /^(.+?) reset this group's invite link$/,
  /^(.+?) turned (?:on|off) disappearing messages/,
  /^(.+?) (?:is|are) now an? admin$/,
  /^(.+?) (?:made|promoted) (.+?) (?:an )?admin$/,
  /^Your security code with (.+?) changed/,
  /^(.+?) adicionou (.+)$/,
  /^(.+?) removeu (.+)$/,
  /^(.+?) saiu$/,
  /^(.+?) entrou usando o link de convite/,
  /^(.+?) (?:mudou|alterou) o assunto/,
  /^(.+?) criou o grupo/,
  /^(.+?) añadió a (.+)$/,
  /^(.+?) eliminó a (.+)$/,
  /^(.+?) salió del grupo$/,
  /^(.+?) se unió usando el enlace de invitación/,
  /^(.+?) cambió el asunto/,
  /^(.+?) creó el grupo/,
  /^(.+?) hat (.+?) hinzugefügt$/,
  /^(.+?) hat (.+?) entfernt$/,
  /^(.+?) hat die Gruppe verlassen$/,
  /^(.+?) hat den Betreff/,
  /^(.+?) a ajouté (.+)$/,
  /^(.+?) a retiré (.+)$/,
  /^(.+?) est parti(?:e)?$/,
  /^(.+?) a (?:modifié|changé) le sujet/,
  /^(.+?) ha aggiunto (.+)$/,
  /^(.+?) ha rimosso (.+)$/,
  /^(.+?) è uscito$/,
  /^(.+?) heeft (.+?) toegevoegd$/,
  /^(.+?) heeft (.+?) verwijderd$/,
  /^(.+?) heeft de groep verlaten$/,
];

/** The event patterns, then WhatsApp's notices that name someone (notices.ts), in every language it knows. */
const NAME_PATTERNS: readonly RegExp[] = [...EVENT_PATTERNS, ...NOTICE_NAME_PATTERNS];

/** Words that stand for the exporting user, not a name. */
const SELF = new Set([
  'You',
  'you',
  'Você',
  'você',
  'Tú',
  'tú',
  'Du',
  'du',
  'Vous',
  'vous',
  'Tu',
  'tu',
  'Jij',
  'jij',
  'Je',
  'je',
]);

/** List separators in event texts: commas and "and" in the languages above. */
const LIST_SEPARATOR = /,\s*|\s+(?:and|e|y|und|et|en)\s+/;

/** Longest name accepted from an event text; a longer capture is a sentence, not a name. */
const MAX_EVENT_NAME = 80;

/** The names a system event text mentions (without "You" and its translations). */
export function namesInEvent(text: string): string[] {
  const firstLine = text.split('\n', 1)[0] ?? '';
  for (const pattern of NAME_PATTERNS) {
    const match = pattern.exec(firstLine);
    if (!match) continue;
    const names: string[] = [];
    for (const group of match.slice(1)) {
      if (group === undefined) continue;
      for (const part of group.split(LIST_SEPARATOR)) {
        const name = part.trim();
        if (name.length > 0 && name.length <= MAX_EVENT_NAME && !SELF.has(name) && !name.includes('"'))
          names.push(name);
      }
    }
    return names;
  }
  return [];
}

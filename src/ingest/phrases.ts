/**
 * The fixed texts WhatsApp writes into exports, in the languages we know them in. They drive
 * classification only (rule 6: markers stay in the text). A phrase missing here makes a message
 * `message` (or an LRM-marked body `system`), never a parse failure.
 */

/** Whole bodies of deleted messages (a trailing period is optional). */
export const DELETED_BODIES: readonly string[] = [
  'This message was deleted',
  'You deleted this message',
  'This message was deleted by admin',
  'Mensagem apagada',
  'Esta mensagem foi apagada',
  'Você apagou esta mensagem',
  'Apagou esta mensagem',
  'Se eliminó este mensaje',
  'Eliminaste este mensaje',
  'Este mensaje fue eliminado',
  'Diese Nachricht wurde gelöscht',
  'Du hast diese Nachricht gelöscht',
  'Ce message a été supprimé',
  'Vous avez supprimé ce message',
  'Questo messaggio è stato eliminato',
  'Hai eliminato questo messaggio',
  'Dit bericht is verwijderd',
  'Je hebt dit bericht verwijderd',
];

/** The suffix an edited message ends with (iOS puts an LRM before the `<`). */
export const EDITED_SUFFIXES: readonly string[] = [
  '<This message was edited>',
  '<Mensagem editada>',
  '<Se editó este mensaje.>',
  '<Diese Nachricht wurde bearbeitet.>',
  '<Diese Nachricht wurde bearbeitet>',
  '<Ce message a été modifié>',
  '<Questo messaggio è stato modificato>',
  '<Dit bericht is bewerkt>',
];

/** Android bodies for media left out of the export (2012 exports write the English one in lower case). */
export const MEDIA_OMITTED_BODIES: readonly string[] = [
  '<Media omitted>',
  '<media omitted>',
  '<Medien ausgelassen>',
  '<Mídia oculta>',
  '<Multimédia omitido>',
  '<Multimedia omitido>',
  '<Médias omis>',
  '<Media omessi>',
  '<Media weggelaten>',
  '<Media tidak disertakan>',
  '<Medya dahil edilmedi>',
  '<Без медиафайлов>',
];

/**
 * The last word of iOS "… omitted" bodies (`‎image omitted`, `‎Contact card omitted`, `name.pdf •
 * 3 pages ‎document omitted`). iOS marks these bodies with an LRM, which keeps this loose test safe.
 */
export const IOS_OMITTED_WORDS: readonly string[] = [
  'omitted',
  'weggelassen',
  'weggelaten',
  'omitido',
  'omitida',
  'ocultado',
  'ocultada',
  'omis',
  'omise',
  'absente',
  'omesso',
  'omessa',
  'omessi',
];

/** The suffix of an Android line that names an exported attachment: `IMG-….jpg (file attached)`. */
export const FILE_ATTACHED_SUFFIXES: readonly string[] = [
  ' (file attached)',
  ' (arquivo anexado)',
  ' (ficheiro anexado)',
  ' (archivo adjunto)',
  ' (Datei angehängt)',
  ' (fichier joint)',
  ' (file allegato)',
  ' (bestand bijgevoegd)',
];

/** iOS wraps an exported attachment's name as `<attached: NAME>`. */
export const IOS_ATTACHED_TAG =
  /<(?:attached|anexado|adjunto|Anhang|pièce jointe|allegato|bijgevoegd) ?: ([^>]+)>/;

/** The first line of a poll (the question and `OPTION:` lines follow). */
export const POLL_PREFIXES: readonly string[] = [
  'POLL:',
  'ENQUETE:',
  'ENCUESTA:',
  'UMFRAGE:',
  'SONDAGE :',
  'SONDAGE:',
  'SONDAGGIO:',
  'PEILING:',
];

/** A shared location: the label, then a maps link. */
export const LOCATION_PREFIXES: readonly string[] = [
  'location: ',
  'Location: ',
  'localização: ',
  'Localização: ',
  'ubicación: ',
  'Ubicación: ',
  'Standort: ',
  'position : ',
  'Position : ',
  'posizione: ',
  'Posizione: ',
  'locatie: ',
  'Locatie: ',
];

/** Whole bodies of a live location share. */
export const LIVE_LOCATION_BODIES: readonly string[] = ['live location shared', 'Live location shared'];

/**
 * Phrases of system events that may contain `": "` inside a quoted group name, subject or
 * description. When the text before the first `": "` contains one, the line is an event with no
 * author (rule 4), whatever the text looks like after it.
 */
export const SYSTEM_EVENT_PHRASES =
  /\s(?:changed (?:the (?:subject|group name|group description|group's (?:name|description))|this group's (?:name|subject|description|icon))|created (?:group|this group|the group)|mudou o (?:assunto|nome do grupo)|alterou o (?:assunto|nome do grupo|nome|a descrição)|criou o grupo|cambió (?:el asunto|el nombre del grupo|la descripción|el nombre)|creó el grupo|hat (?:den Betreff|den Gruppennamen|den Gruppenbetreff|die Gruppenbeschreibung|die Gruppe)|a (?:modifié|changé) (?:le sujet|le nom du groupe|la description)|a créé le groupe|ha (?:cambiato|modificato) (?:l'oggetto|il nome del gruppo|la descrizione)|ha creato il gruppo|heeft (?:het onderwerp|de groepsnaam|de groepsbeschrijving|groep|de groep))/u;

/**
 * Function words and chat fillers of the seven languages most WhatsApp exports we see are written in
 * (English, Portuguese, Spanish, French, German, Italian, Dutch), lowercase and NFC. They carry no
 * topic, so they neither count towards centrality nor become tags. Other languages simply keep all
 * their words: topics get a little noisier, never wrong. Contractions are listed with a straight
 * apostrophe; terms are normalized to it before lookup.
 */
const ENGLISH = `a about after again all also am an and any are as at be been before being both but by can
  can't cant could did didn't do does doing don't dont down each few for from get got had has have
  having he her here hers him his how i i'd i'll i'm i've if im in into is isn't it it's its just let's
  me more most my no nope not now of off oh ok okay on once only or other our out over own same she
  should so some such than that that's the their them then there there's these they they're this
  those to too under up us very was we we're were what when where which who whom whose why will with
  won't would yeah yep yes you you're your lol haha hahaha hehe hmm thanks thank please hi hello hey`;

const PORTUGUESE = `a à ao aos aquela aquele as às até com como da das de do dos e é ela elas ele eles em
  entre era essa esse esta está estou este eu foi isso isto já lá mais mas me meu minha muito na não
  nao nas né ne no nos nós o obrigada obrigado oi olá ola os ou para pela pelo por porque pra quando
  que quem se sem ser seu sim sua também tambem tá ta tem ter tu um uma umas uns vai você voce vocês
  vou kkk kkkk kkkkk rs`;

const SPANISH = `a al ahí allí aquí como con cuando de del donde el él ella ellas ellos en es esa ese eso
  esta está este esto estoy fue gracias hay hola jaja jajaja la las le les lo los más me mi mis muy
  no nos o para pero por porque que quien se ser si sí sin son su sus también te tu un una unas unos
  usted ustedes vale y ya yo`;

const FRENCH = `à au aux avec bien bonjour c'est ça ca ce ces cet cette comme dans de des du elle elles en
  est et été être il ils j'ai je la le les leur lui ma mais me merci mes moi mon ne nous on ou où oui
  par pas plus pour qu'il que qui quoi sa salut sans se ses son sont sur ta te tes toi ton très tres
  tu un une vous y`;

const GERMAN = `aber als am an auch auf aus bei bin bist da danke das dass dein dem den denn der des dich
  die dir doch du ein eine einem einen einer er es euch für hallo hat habe haben ich ihr im in ist ja
  kein keine mal mein mich mir mit nach nein nicht noch oder schon sein sie sind so um und uns von war
  waren was wenn wer wie wir wo zu zum zur`;

const ITALIAN = `anche che chi ci ciao come con da dal dei del della delle dell di dove e è fra gli grazie
  ha hai hanno ho il in io la là le lei li lì lo loro lui ma mi mia mio molto ne nel nella noi non o per
  perché perche più qua quando quella quello questa questo qui si sì sono su sua suo ti tra tu tua tuo
  un una uno vi voi`;

const DUTCH = `aan al als ben bent bij daar dan dank dat de deze die dit door een en er geen heb hebben
  hebt heeft het hier hoe hoi ik in is ja je jij jou jullie maar me met mij mijn naar nee niet nog of om
  ons onze ook op te toch tot uit van voor waar wat was we wel wie wij zij ze zijn`;

export const STOP_WORDS: ReadonlySet<string> = new Set(
  [ENGLISH, PORTUGUESE, SPANISH, FRENCH, GERMAN, ITALIAN, DUTCH].flatMap((list) => list.split(/\s+/)),
);

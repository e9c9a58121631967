/**
 * The large word lists of the content profiles (profiles.ts): a few hundred everyday words per
 * language, most frequent first (the profiles pick them with Zipf weights, so the head repeats and
 * the tail is long, as in real chats), grown where the language itself grows them: Hebrew glues its
 * prepositions and conjunctions to the word (ו, ה, ב, ל, ש…), so each noun comes in a dozen forms.
 * A figure that only holds on a handful of words would say nothing about a real group: these lists
 * are deliberately large.
 *
 * Lists are written as one string split on spaces (a `|` where an entry itself has a space).
 */

const words = (list: string): string[] => list.split(/\s+/).filter((word) => word.length > 0);

// ---------------------------------------------------------------------------------------------
// Hebrew
// ---------------------------------------------------------------------------------------------

/** Words that take no prefix here: verbs, pronouns, particles, greetings. */
const HEBREW_PLAIN = words(`
  אני אתה את הוא היא אנחנו אתם הם הן זה זאת זו אלה יש אין לא כן גם רק עוד כבר עכשיו אחר כך
  מתי איפה למה מה מי איך כמה אם כי אבל או אז פה שם היום מחר אתמול הערב הבוקר בסדר סבבה יאללה
  תודה בבקשה סליחה שלום להתראות לילה טוב בוקר טוב ערב טוב מזל טוב חג שמח שבת שלום בהצלחה
  רוצה רוצים צריך צריכה צריכים יכול יכולה יכולים אפשר אסור חייב חייבת הולך הולכת הולכים בא באה
  באים מגיע מגיעה מגיעים יודע יודעת יודעים חושב חושבת חושבים אומר אומרת ראיתי שמעתי אמרתי
  הגעתי יצאתי חזרתי שלחתי קיבלתי קניתי הזמנתי סיימתי התחלתי שכחתי זוכר זוכרת מבין מבינה
  אוהב אוהבת אוהבים עובד עובדת עובדים לומד לומדת גר גרה נוסע נוסעת נוסעים מחכה מחכים מתקשר
  תתקשר תשלח תגיד תבוא תביא תזכיר תעדכן תבדוק תסתכל תראה תקשיב תחכה בוא בואו נראה נדבר נתראה
  נפגש נלך נעשה נזמין נבדוק נעדכן נסגור יהיה היה הייתה היו תהיה נהיה להיות לעשות ללכת לבוא
  לדבר לקנות להביא לשלוח לבדוק לסגור לפתוח לאכול לשתות לישון לקום לעבוד ללמוד לנסוע לחזור
  לחכות להזמין לשאול לענות לעזור לשמוע לראות לדעת לזכור לשכוח לסדר לנקות לבשל לאסוף להוריד
  מאוד ממש נורא די קצת הרבה המון כל כולם כולן אף אחד משהו כלום תמיד אף פעם לפעמים בדיוק כמעט
  בטח ברור אולי נראה לי חבל על הזמן וואו אחלה מעולה מדהים נהדר טוב רע חמוד מצחיק משעמם
  עייף עייפה רעב רעבה שמח שמחה עצוב עצובה לחוץ לחוצה פנוי פנויה עסוק עסוקה מוכן מוכנה
  חחח חחחח חחחחח לול אוקיי אוקי נו די כאילו בעצם סתם אגב בקיצור תכלס בינתיים
`);

/** Nouns and adjectives: these take the prefixes below. */
const HEBREW_NOUNS = words(`
  בית דירה חדר מטבח סלון מרפסת גינה חצר בניין קומה מעלית חניה רחוב שכונה עיר כפר מושב קיבוץ
  ילד ילדה ילדים ילדות אמא אבא סבא סבתא אח אחות דוד דודה בן בת משפחה חבר חברה חברים חברות שכן
  שכנה שכנים מורה מורים גננת רופא רופאה אחות מנהל מנהלת בוס עובד לקוח לקוחה נהג שליח טכנאי
  בית ספר כיתה גן שיעור שיעורים מבחן ציון ציונים חופש חופשה טיול טיולים קייטנה חוג חוגים אימון
  משחק כדורגל כדורסל שחייה ים חוף בריכה פארק מגרש מסעדה קפה בית קפה פיצה פלאפל שווארמה חומוס
  סלט לחם חלב ביצים גבינה עוף בשר דג ירקות פירות תפוחים בננות עגבניות מלפפונים אורז פסטה עוגה
  עוגיות שוקולד גלידה מים יין בירה קפה תה ארוחה ארוחת ערב ארוחת בוקר צהריים מנגל על האש
  סופר מכולת שוק קניון חנות מבצע הנחה מחיר כסף שקל שקלים חשבון קבלה אשראי העברה ביט פייבוקס
  עבודה משרד פגישה ישיבה זום שיחה טלפון הודעה הודעות קבוצה וואטסאפ מייל מסמך טופס אישור תור
  רופא משפחה קופת חולים מרפאה בית חולים תרופה מרשם חיסון בדיקה תוצאות חום שפעת קורונה
  אוטו רכב אוטובוס רכבת מונית אופניים קורקינט כביש פקק פקקים תחנה נסיעה טיסה שדה תעופה מזוודה
  יום שבוע חודש שנה שעה דקה רגע בוקר צהריים ערב לילה סופש סוף שבוע ראשון שני שלישי רביעי
  חמישי שישי שבת חג פסח סוכות חנוכה פורים ראש השנה יום כיפור יום הולדת חתונה בר מצווה בת מצווה
  ברית מסיבה אירוע הופעה סרט סדרה ספר שיר מוזיקה תמונה תמונות סרטון וידאו קישור לינק אפליקציה
  מזגן חימום דוד שמש חשמל מים גז ארנונה ועד בית ועד שיפוץ צבע תיקון נזילה מנעול מפתח דלת חלון
  כלב חתול גור טרינר מזג אוויר גשם שמש חם קר רוח שרב מעונן סערה שלג
  גדול גדולה קטן קטנה חדש חדשה ישן ישנה יפה יפים ראשון אחרון הבא הבאה קרוב רחוק זול יקר פתוח
  סגור מלא ריק נקי מלוכלך שקט רועש מהיר איטי חשוב דחוף פשוט מסובך
`);

/**
 * Acronyms with gershayim and words with geresh, as Hebrew writes them (U+05F4, U+05F3); chat text
 * types them as often with the ASCII `"` and `'` the keyboard offers (HEBREW_ASCII_FORMS below).
 * A tokenizer must keep צה״ל, צה"ל and בצה"ל one word.
 */
const HEBREW_MARKED = words(`
  צה״ל בע״מ ת״א ביה״ס עו״ד רו״ח ד״ר מנכ״ל רמטכ״ל אח״כ בס״ד ש״ח ז״א כנ״ל עפ״י בי״ח מד״א
  ח״כ יו״ר סמנכ״ל תנ״ך רה״מ ק״ג ק״מ ס״מ מ״מ צ׳יפס ג׳ינס ז׳קט צ׳ק ג׳וב צ׳אט ג׳ירפה צ׳לו ז׳אנר
  סנדוויץ׳ צ׳ופר ג׳ל
`);

/** What the keyboard gives: `"` for gershayim, `'` for geresh. */
const HEBREW_ASCII_FORMS = HEBREW_MARKED.map((word) =>
  word.replaceAll('\u05f4', '"').replaceAll('\u05f3', "'"),
);

/** One-letter prefixes and their common pairs, as they attach to a noun. */
const HEBREW_PREFIXES = words('ה ו ב ל מ ש כ וה וב ול שה שב כש מה לה בה');

/**
 * Hebrew, most frequent first: plain words, nouns, marked forms, then every prefixed form (rarer).
 * ~6,300 distinct forms.
 */
export const HEBREW_WORDS: readonly string[] = [
  ...HEBREW_PLAIN,
  ...HEBREW_NOUNS,
  ...HEBREW_MARKED,
  ...HEBREW_ASCII_FORMS,
  ...HEBREW_PREFIXES.flatMap((prefix) =>
    [...HEBREW_NOUNS, ...HEBREW_MARKED, ...HEBREW_ASCII_FORMS].map((word) => `${prefix}${word}`),
  ),
].filter(unique());

// ---------------------------------------------------------------------------------------------
// Chinese (Simplified), written without spaces
// ---------------------------------------------------------------------------------------------

export const CHINESE_WORDS: readonly string[] = words(`
  我 你 他 她 我们 你们 他们 大家 这个 那个 什么 怎么 为什么 哪里 哪儿 谁 多少 几点 是 不是 有 没有 在 不在
  的 了 吗 呢 吧 啊 呀 哦 嗯 哈哈 哈哈哈 嘿嘿 好的 好 可以 不行 没问题 谢谢 不客气 对不起 没关系 辛苦了
  早上好 晚安 明天见 再见 今天 明天 昨天 后天 现在 刚才 等一下 马上 一会儿 上午 下午 晚上 中午 周末 星期一
  星期二 星期三 星期四 星期五 星期六 星期天 下周 上周 这周 今年 明年 去年 月底 春节 中秋节 国庆 元旦 生日
  吃饭 喝茶 喝咖啡 火锅 烧烤 外卖 点菜 饺子 包子 面条 米饭 炒饭 牛肉 鸡肉 猪肉 海鲜 水果 蔬菜 奶茶 蛋糕
  超市 菜市场 商场 网购 快递 淘宝 京东 拼多多 优惠 打折 价格 便宜 太贵了 付款 微信 支付宝 转账 红包 发票
  上班 下班 加班 开会 会议 老板 同事 客户 项目 报告 方案 邮件 文件 合同 面试 工资 请假 出差 公司 办公室
  学校 老师 同学 孩子 作业 考试 成绩 家长会 放学 接孩子 送孩子 幼儿园 小学 中学 大学 补习班 兴趣班 暑假 寒假
  爸爸 妈妈 爷爷 奶奶 外公 外婆 哥哥 姐姐 弟弟 妹妹 老公 老婆 儿子 女儿 亲戚 朋友 邻居 群主 各位 亲们
  医院 医生 看病 感冒 发烧 咳嗽 吃药 挂号 体检 疫苗 身体 休息 睡觉 起床 锻炼 跑步 健身 游泳 散步 爬山
  地铁 公交 打车 开车 停车 堵车 高铁 飞机 机场 火车站 出发 到了 回家 出门 路上 小心 注意 安全 天气 下雨
  下雪 太热了 好冷 刮风 晴天 阴天 带伞 空调 暖气 停电 停水 物业 小区 楼下 电梯 装修 房租 搬家 钥匙 门口
  电影 电视剧 综艺 音乐 唱歌 跳舞 拍照 照片 视频 直播 游戏 手机 电脑 充电 网络 信号 密码 下载 链接 截图
  旅游 酒店 订票 门票 景点 排队 行李 护照 签证 攻略 好玩 好吃 好看 漂亮 可爱 厉害 加油 真的 假的 当然
  一定 应该 可能 也许 已经 还没 正在 马上到 快点 慢慢来 别急 放心 担心 希望 觉得 知道 认识 记得 忘了 明白
  需要 想要 喜欢 讨厌 开心 高兴 难过 生气 累了 饿了 渴了 困了 忙 很忙 有空 没空 方便 麻烦 帮忙 帮我 告诉
  一起 大概 差不多 非常 特别 比较 一点 一些 所有 每天 经常 有时候 从来 以后 以前 然后 但是 因为 所以 如果
  虽然 而且 或者 还是 就是 只是 其实 反正 总之 终于 突然 本来 原来 果然 居然 竟然 幸好 可惜 恭喜 祝福
  新年快乐 生日快乐 节日快乐 身体健康 万事如意 恭喜发财 收到 好嘞 了解 明白了 没事 随便 都行 看情况 再说
  报名 接龙 投票 通知 提醒 活动 聚会 聚餐 集合 地址 位置 时间 地点 人数 费用 预算 分享 推荐 建议 意见
`);

// ---------------------------------------------------------------------------------------------
// Thai, written without spaces between words (a space ends a phrase)
// ---------------------------------------------------------------------------------------------

export const THAI_WORDS: readonly string[] = words(`
  ครับ ค่ะ คะ นะ นะคะ นะครับ จ้า จ้ะ ค่า ฮะ เลย แล้ว ไหม มั้ย หรือ หรอ ด้วย กัน ก็ จะ ได้ ไม่ ไม่ได้ ไม่มี มี เป็น คือ
  ผม ฉัน เรา เขา คุณ พี่ น้อง แก เธอ ทุกคน ใคร อะไร ที่ไหน เมื่อไหร่ ทำไม ยังไง เท่าไหร่ กี่โมง นี่ นั่น โน่น
  สวัสดี ขอบคุณ ขอโทษ ไม่เป็นไร โชคดี ฝันดี อรุณสวัสดิ์ ราตรีสวัสดิ์ ยินดี ด้วยนะ สู้ๆ เก่งมาก ดีมาก โอเค ได้เลย
  วันนี้ พรุ่งนี้ เมื่อวาน มะรืน ตอนนี้ เดี๋ยว เดี๋ยวนี้ ตอนเช้า ตอนเที่ยง ตอนบ่าย ตอนเย็น ตอนค่ำ คืนนี้ สุดสัปดาห์
  วันจันทร์ วันอังคาร วันพุธ วันพฤหัส วันศุกร์ วันเสาร์ วันอาทิตย์ อาทิตย์หน้า เดือนหน้า ปีใหม่ สงกรานต์ ลอยกระทง
  กินข้าว กินอะไร ข้าวผัด ผัดไทย ต้มยำ ส้มตำ ก๋วยเตี๋ยว ข้าวมันไก่ หมูกระทะ ชาบู กาแฟ ชาเย็น ชานม น้ำ ขนม
  ผลไม้ มะม่วง ทุเรียน ไก่ทอด ร้านอาหาร ร้านกาแฟ สั่ง เดลิเวอรี่ อร่อย อร่อยมาก เผ็ด หวาน เค็ม เปรี้ยว อิ่ม หิว
  ตลาด ห้าง เซเว่น ซื้อ ขาย ลดราคา โปร ถูก แพง ราคา เงิน บาท จ่าย โอน พร้อมเพย์ บัญชี ใบเสร็จ ส่งของ พัสดุ
  ทำงาน ประชุม ออฟฟิศ หัวหน้า เพื่อนร่วมงาน ลูกค้า งาน โปรเจกต์ รายงาน อีเมล เอกสาร สัญญา เงินเดือน ลา ลางาน
  โรงเรียน ครู นักเรียน การบ้าน สอบ คะแนน เรียน มหาลัย ลูก ลูกสาว ลูกชาย พ่อ แม่ ปู่ ย่า ตา ยาย พี่สาว พี่ชาย
  น้องสาว น้องชาย ครอบครัว เพื่อน แฟน สามี ภรรยา ญาติ เพื่อนบ้าน หมอ โรงพยาบาล คลินิก ยา ไม่สบาย ป่วย เป็นไข้
  ไอ ปวดหัว พักผ่อน นอน ตื่น ออกกำลังกาย วิ่ง ว่ายน้ำ เดินเล่น ฟิตเนส รถ รถติด รถไฟฟ้า บีทีเอส รถเมล์ แท็กซี่
  วินมอไซค์ ขับรถ จอดรถ ถนน ทาง ไป มา ถึง กลับ กลับบ้าน ออกจากบ้าน ระวัง ปลอดภัย ฝนตก ร้อน ร้อนมาก หนาว
  อากาศ แดด ลม พายุ น้ำท่วม ไฟดับ แอร์ คอนโด หมู่บ้าน บ้าน ห้อง ประตู กุญแจ ย้ายบ้าน ค่าเช่า นิติ ซ่อม
  หนัง ซีรีส์ เพลง ร้องเพลง คอนเสิร์ต ถ่ายรูป รูป วิดีโอ ไลฟ์ เกม มือถือ โทรศัพท์ คอม ชาร์จ เน็ต ไวไฟ รหัส
  ลิงก์ แชร์ ส่ง ดู ฟัง อ่าน เขียน พูด คุย โทร รอ เจอ เจอกัน นัด ว่าง ไม่ว่าง ยุ่ง เหนื่อย ง่วง ดีใจ เสียใจ โกรธ
  สนุก เบื่อ รัก ชอบ ไม่ชอบ คิดถึง อยาก ต้อง ควร คง อาจจะ น่าจะ แน่นอน จริง จริงๆ เหรอ มาก มากๆ นิดหน่อย
  เยอะ ทั้งหมด ทุกวัน บ่อย บางที ไม่เคย ก่อน หลัง แล้วก็ แต่ เพราะ ถ้า ก็ได้ หรือว่า ยัง ยังไม่ เสร็จ เรียบร้อย
  เที่ยว ทะเล ภูเขา โรงแรม ตั๋ว เครื่องบิน สนามบิน กระเป๋า พาสปอร์ต วันเกิด งานแต่ง ปาร์ตี้ ของขวัญ ยินดีด้วย
  สุขสันต์วันเกิด ลงชื่อ โหวต ประกาศ แจ้ง เตือน นัดหมาย สถานที่ เวลา ค่าใช้จ่าย แนะนำ ความเห็น น่ารัก สวย เท่
  555 5555 55555
`);

// ---------------------------------------------------------------------------------------------
// The other languages of the mixed group (Latin with accents, Cyrillic, Greek, Arabic, Devanagari,
// Japanese, Korean)
// ---------------------------------------------------------------------------------------------

export const ENGLISH_WORDS: readonly string[] = words(`
  the a to and I you is it that of for in on we this be have do not are at with can will so just
  what if my your me they all get like know about out up was there when how today tomorrow tonight
  yesterday morning evening week weekend meeting library snacks think should start earlier thanks
  everyone coming great idea see running late sorry book chapter finished reading next park weather
  looks good rain maybe car share parking lol yes no photos dinner Friday sounds perfect kids school
  please help anyone pick bring send check call text message group chat link address time place
  coffee lunch breakfast pizza cake drinks party birthday wedding holiday trip flight hotel airport
  train bus traffic home office work job boss project deadline report email laptop phone battery
  charger password wifi update movie show series music concert tickets game match team score win
  lost happy sad tired busy free ready done sure okay cool awesome amazing nice cute funny weird
  really very much more less some any every nothing something someone people friends family mom dad
  brother sister baby dog cat doctor appointment pharmacy sick fever cold cough better hope soon
  later again already still never always sometimes actually basically honestly literally anyway btw
  omg haha hahaha thx pls ok yeah nope yep wow congrats cheers love miss wait hurry forgot remember
`);

export const PORTUGUESE_WORDS: readonly string[] = words(`
  de que não o a é e um uma eu você vocês gente a gente pra para com em no na os as do da mas por
  mais muito bem tudo hoje amanhã ontem agora depois antes sempre nunca já ainda também porque então
  vamos vai vou tem tenho temos quero queria pode posso precisa preciso sei acho acha sabe fala falou
  obrigado obrigada valeu beleza tranquilo claro certo combinado bom dia boa tarde boa noite oi olá
  tchau beijo abraço saudades feliz aniversário parabéns reunião encontro festa churrasco almoço jantar
  café pão de queijo açaí cerveja pizza mercado padaria farmácia médico consulta escola crianças filho
  filha mãe pai avó avô irmão irmã família amigos vizinhos prédio apartamento portão garagem elevador
  síndico condomínio conta boleto pix dinheiro preço caro barato promoção trabalho chefe escritório
  ônibus metrô trânsito uber carro chovendo calor frio sol praia praça coração ação horas minutos
  semana mês ano sábado domingo segunda sexta feriado viagem férias foto vídeo link grupo mensagem
  legal show demais massa top nossa caramba kkkk kkkkk rsrs né tá tô cadê aqui ali lá onde quando
`);

export const SPANISH_WORDS: readonly string[] = words(`
  de que no la el en y a los se del las un por con una para es al lo como más pero sus le ya o
  este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos
  durante todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro
  mañana niño niña año gracias vamos genial reunión está aquí después tarde cumpleaños señora pequeño
  café nos vemos muy bien hola buenos días buenas noches buenas tardes vale claro perfecto listo
  oye mira fiesta cena comida almuerzo desayuno cerveza vino tapas playa piscina parque colegio
  trabajo jefe oficina coche autobús metro tráfico lluvia calor frío sol semana mes sábado domingo
  lunes viernes vacaciones viaje foto vídeo enlace grupo mensaje dinero precio barato caro tienda
  médico farmacia hijos hija hijo mamá papá abuela abuelo hermano hermana familia amigos vecinos
  jajaja jaja jeje porfa qué tal cómo dónde cuándo cuánto ahora luego siempre nunca todavía
`);

export const GERMAN_WORDS: readonly string[] = words(`
  der die das und ist nicht ich du wir ihr sie es ein eine zu mit auf für von im den dem auch
  noch schon heute morgen gestern jetzt später bald immer nie vielleicht bitte danke genau okay
  Straße Grüße über schön Mädchen Bücher Treffen Fußball Wetter Abend gemütlich Frühstück gerne
  natürlich Kuchen Kaffee Bier Essen Mittagessen Abendessen Geburtstag Feier Urlaub Reise Zug Bahn
  Verspätung Auto Parkplatz Wohnung Nachbarn Hausverwaltung Heizung Müll Keller Schlüssel Termin
  Arzt Apotheke Kinder Schule Kita Hausaufgaben Arbeit Büro Chef Besprechung Wochenende Montag
  Freitag Samstag Sonntag Woche Monat Jahr Regen Sonne kalt warm müde krank fertig klar super toll
  prima schade leider eigentlich übrigens sowieso wirklich ziemlich ganz gar kein keine alles etwas
  nichts jemand niemand Leute Freunde Familie Mama Papa Oma Opa Bruder Schwester Hund Katze haha
`);

export const FRENCH_WORDS: readonly string[] = words(`
  le la les de des un une et est pas je tu il elle on nous vous ils elles ce ça qui que quoi où
  quand comment pourquoi avec pour dans sur mais ou donc car très bien aussi encore déjà toujours
  jamais demain hier aujourd'hui maintenant après avant bientôt merci bonjour bonsoir salut coucou
  bisous réunion garçon fenêtre café crème Noël août naïf cœur soirée dîner déjeuner apéro fête
  anniversaire vacances voyage train voiture bouchons pluie soleil froid chaud semaine mois samedi
  dimanche lundi vendredi week-end école enfants devoirs travail bureau patron médecin pharmacie
  rendez-vous voisins immeuble ascenseur clé loyer courses marché boulangerie pain fromage vin
  photo vidéo lien groupe message d'accord carrément génial super trop mdr ptdr bref enfin voilà
`);

export const RUSSIAN_WORDS: readonly string[] = words(`
  и в не на я он она мы вы они что это как так все всё уже ещё тоже только если когда где куда
  почему зачем кто сколько сегодня завтра вчера сейчас потом вечером утром днём ночью привет пока
  спасибо пожалуйста извините хорошо отлично нормально конечно ладно давай давайте встреча книга
  ёлка друзья собрание праздник день рождения поздравляю ужин обед завтрак кофе чай торт пицца
  магазин аптека врач больница дети школа садик уроки работа офис начальник проект отчёт письмо
  машина автобус метро пробки дождь снег холодно жарко неделя месяц суббота воскресенье понедельник
  пятница отпуск поездка фото видео ссылка группа сообщение деньги цена дорого дёшево мама папа
  бабушка дедушка брат сестра соседи подъезд лифт ключи квартира ремонт хаха ахах ок супер класс
`);

export const GREEK_WORDS: readonly string[] = words(`
  και να το η ο τα της του με για σε δεν είναι θα που στο στη στην από αλλά όταν πού γιατί πώς
  τι ποιος σήμερα αύριο χθες τώρα μετά πριν πάντα ποτέ ήδη ακόμα καλημέρα καλησπέρα καληνύχτα
  ευχαριστώ παρακαλώ συγγνώμη γεια εντάξει τέλεια ωραία συνάντηση βιβλίο φίλοι θάλασσα παραλία
  καφές φαγητό δείπνο γιορτή γενέθλια διακοπές ταξίδι αυτοκίνητο λεωφορείο μετρό κίνηση βροχή ήλιος
  ζέστη κρύο εβδομάδα μήνας Σάββατο Κυριακή Δευτέρα Παρασκευή σχολείο παιδιά δουλειά γραφείο γιατρός
  φαρμακείο φωτογραφία βίντεο σύνδεσμος ομάδα μήνυμα λεφτά μαμά μπαμπάς γιαγιά παππούς αδερφός χαχα
`);

export const ARABIC_WORDS: readonly string[] = words(`
  في من على إلى عن مع هذا هذه ذلك هو هي نحن أنا أنت أنتم هم ما ماذا لماذا كيف متى أين من لا نعم
  كل بعض كثير قليل جدا أيضا لكن أو ثم إذا اليوم غدا أمس الآن بعدين قبل دائما أبدا مرحبا أهلا
  شكرا عفوا آسف مع السلامة صباح الخير مساء الخير تصبح على خير إن شاء الله الحمد لله ما شاء الله
  يلا تمام طيب حلو جميل رائع اجتماع كتاب أصدقاء عائلة أم أب جدة جد أخ أخت أولاد مدرسة واجبات عمل
  مكتب مدير مشروع بريد سيارة باص مترو زحمة مطر شمس حر برد أسبوع شهر سنة الجمعة السبت الأحد عيد
  رمضان كريم عيد مبارك عيد ميلاد حفلة عشاء غداء فطور قهوة شاي مطعم سوق صيدلية طبيب موعد صورة
  فيديو رابط مجموعة رسالة فلوس سعر غالي رخيص جيران عمارة مصعد مفتاح هههه ههههه
`);

export const HINDI_WORDS: readonly string[] = words(`
  है हैं था थी थे और का की के को में से पर भी नहीं हाँ हां क्या क्यों कैसे कब कहाँ कौन कितना यह वह
  हम आप तुम मैं वो ये सब कुछ बहुत थोड़ा अभी आज कल परसों सुबह शाम रात दोपहर नमस्ते धन्यवाद शुक्रिया
  माफ़ कीजिए ठीक है अच्छा बढ़िया ज़रूर चलो बैठक किताब दोस्त परिवार माँ पापा दादी दादा नानी नाना भाई
  बहन बच्चे स्कूल होमवर्क काम दफ़्तर बॉस मीटिंग गाड़ी बस मेट्रो ट्रैफ़िक बारिश धूप गर्मी ठंड हफ़्ता
  महीना साल शनिवार रविवार सोमवार शुक्रवार छुट्टी यात्रा त्योहार दिवाली होली जन्मदिन शादी पार्टी खाना
  नाश्ता चाय कॉफ़ी मिठाई बाज़ार दुकान डॉक्टर दवाई फ़ोटो वीडियो लिंक ग्रुप मैसेज पैसे दाम महँगा सस्ता
  पड़ोसी घर चाबी हाहा हाहाहा जी हाँजी बिल्कुल शायद पक्का
`);

export const JAPANESE_WORDS: readonly string[] = words(`
  こんにちは ありがとう ありがとうございます すみません おはよう おはようございます おやすみ お疲れ様です
  よろしく よろしくお願いします 了解です 了解 わかりました 大丈夫 いいね すごい かわいい 楽しい 嬉しい
  明日 今日 昨日 今 あとで さっき 週末 来週 今週 月曜日 金曜日 土曜日 日曜日 朝 昼 夜 午後 会議 本
  また ね よ か な けど から まで ので でも じゃあ それ これ あれ どこ いつ なに だれ どう なんで
  私 僕 俺 みんな 友達 家族 母 父 子供 学校 宿題 仕事 会社 上司 駅 電車 バス 車 渋滞 雨 晴れ 暑い
  寒い ご飯 ランチ 飲み会 ラーメン 寿司 カフェ コーヒー ケーキ 誕生日 おめでとう 旅行 写真 動画 リンク
  グループ メッセージ お金 高い 安い 買い物 病院 薬 風邪 引っ越し 鍵 部屋 近所 楽しみ 残念 本当に
  ちょっと たくさん 少し 全部 いつも たまに 絶対 多分 草 笑 www
`);

export const KOREAN_WORDS: readonly string[] = words(`
  안녕하세요 안녕 감사합니다 고마워 죄송합니다 미안해 괜찮아요 네 아니요 응 아니 좋아요 좋아 싫어 진짜
  정말 너무 많이 조금 다 같이 먼저 나중에 지금 오늘 내일 어제 모레 아침 점심 저녁 밤 주말 다음주
  이번주 월요일 금요일 토요일 일요일 회의 책 친구 가족 엄마 아빠 할머니 할아버지 형 누나 오빠 언니 동생
  아이들 학교 숙제 회사 일 상사 지하철 버스 택시 차 길 막혀요 비 눈 덥다 춥다 밥 점심시간 커피 치킨
  맥주 삼겹살 떡볶이 케이크 생일 축하해요 여행 사진 동영상 링크 단톡방 메시지 돈 비싸요 싸요 마트 병원
  약 감기 이사 열쇠 집 이웃 재밌다 행복해 피곤해 바빠요 시간 있어요 없어요 어디 언제 뭐 왜 어떻게
  누구 얼마 ㅋㅋ ㅋㅋㅋ ㅋㅋㅋㅋ ㅎㅎ ㅠㅠ 화이팅 대박 헐
`);

/** A filter that keeps the first of equal entries (prefixed forms can repeat a listed word). */
function unique(): (word: string) => boolean {
  const seen = new Set<string>();
  return (word) => {
    if (seen.has(word)) return false;
    seen.add(word);
    return true;
  };
}

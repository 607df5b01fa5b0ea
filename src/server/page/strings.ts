/**
 * Every piece of text on the demo page, in each language it speaks. The server renders the
 * English table into the HTML (html.ts); the page swaps in the reader's language (i18n.ts).
 * `{name}` marks a value filled in at run time (format()). A new language is one more entry in
 * LANGUAGES and STRINGS; TypeScript then insists that every key is translated.
 */
import type { RejectionCode } from '../../image/rejection.js';
import { TEACH_STRINGS, type TeachStrings } from './teach-strings.js';

export const LANGUAGES = {
  en: { name: 'English', dir: 'ltr' },
  es: { name: 'Español', dir: 'ltr' },
  fr: { name: 'Français', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
} as const;

export type Lang = keyof typeof LANGUAGES;

export interface Strings {
  title: string;
  heading: string;
  intro: string;
  language: string;
  inputHeading: string;
  outputHeading: string;
  whereRuns: string;
  whatToRead: string;
  inBrowser: string;
  onServer: string;
  oneDigit: string;
  aNumber: string;
  padLabel: string;
  hintDigit: string;
  hintNumber: string;
  hintDrop: string;
  undo: string;
  clear: string;
  upload: string;
  formats: string;
  waitingDigit: string;
  waitingNumber: string;
  /** {p}: a percentage, already formatted for the language. */
  confident: string;
  leastSure: string;
  notSure: string;
  /** Between parts of one sentence: ", " in most languages, "، " in Arabic. */
  comma: string;
  notDigit: string;
  notNumber: string;
  readInBrowser: string;
  readOnServer: string;
  readingBrowser: string;
  askingServer: string;
  openingImage: string;
  loadingModel: string;
  modelReady: string;
  /** {why}: one of the why* strings. */
  modelFailed: string;
  whyHttp: string;
  whyNotModel: string;
  whyNetwork: string;
  whyNoWasm: string;
  browserUnavailable: string;
  couldNotRead: string;
  wrongType: string;
  cannotDecode: string;
  serverError: string;
  serverGarbled: string;
  serverUnreachable: string;
  dropHere: string;
  dropRefused: string;
  chartLabel: string;
  apiPrograms: string;
  apiBody: string;
  apiMulti: string;
  reasons: Record<RejectionCode, string>;
  /** The teach mode's text (teach-strings.ts). */
  teach: TeachStrings;
}

const en: Strings = {
  title: 'wasmnn · handwritten digit recognizer',
  heading: 'handwritten digit recognizer',
  intro: 'Draw a digit (mouse, pen or finger) or drop a photo. A small neural network reads it, in your browser with WebAssembly or on the server.',
  language: 'Language',
  inputHeading: 'Input',
  outputHeading: 'Prediction',
  whereRuns: 'Where the model runs',
  whatToRead: 'What to read',
  inBrowser: 'In browser',
  onServer: 'On server',
  oneDigit: 'One digit',
  aNumber: 'A number',
  padLabel: 'Drawing area',
  hintDigit: 'Draw a digit here',
  hintNumber: 'Write a number here',
  hintDrop: 'or drop a PNG or JPEG image',
  undo: 'Undo',
  clear: 'Clear',
  upload: 'Upload image…',
  formats: 'Accepted images: PNG and JPEG',
  waitingDigit: 'Waiting for a digit',
  waitingNumber: 'Waiting for a number',
  confident: '{p} confident',
  leastSure: '(least sure digit)',
  notSure: 'not sure',
  comma: ', ',
  notDigit: 'Not a digit',
  notNumber: 'Not a number',
  readInBrowser: 'Read in your browser ({backend}) in {ms} ms',
  readOnServer: 'Read on the server in {ms} ms',
  readingBrowser: 'Reading in the browser…',
  askingServer: 'Asking the server…',
  openingImage: 'Opening the image…',
  loadingModel: 'Loading the model…',
  modelReady: 'Model ready in your browser ({backend}).',
  modelFailed: 'The model could not be loaded into this browser: {why}. Images are read on the server instead.',
  whyHttp: 'the server answered HTTP {status}',
  whyNotModel: 'the server did not send a model',
  whyNetwork: 'the network request failed',
  whyNoWasm: 'this browser cannot run WebAssembly',
  browserUnavailable: 'The model is not available in this browser',
  couldNotRead: 'Could not read the image',
  wrongType: 'Only PNG and JPEG images are accepted; {name} is neither.',
  cannotDecode: 'This browser could not open {name}.',
  serverError: 'The server answered {status}: {message}',
  serverGarbled: 'The server’s answer could not be understood (HTTP {status}).',
  serverUnreachable: 'The server could not be reached.',
  dropHere: 'Drop the image to read it',
  dropRefused: 'Only PNG and JPEG images',
  chartLabel: 'Probabilities of the digits 0 to 9',
  apiPrograms: 'For programs:',
  apiBody: 'with a PNG or JPEG image; add',
  apiMulti: 'to read a number.',
  reasons: {
    blank: 'The image is blank.',
    noise: 'The marks are too faint or too noisy to read.',
    texture: 'This looks like a texture or a photo, not a digit.',
    'too-small': 'The writing is too small to read.',
    blob: 'This is a filled shape, not pen strokes.',
    line: 'This is a single line, not a digit.',
    grid: 'Too many separate marks or closed loops for a digit.',
    'not-a-digit': 'The model says this is not a digit.',
    unsure: 'The model is not sure enough to name a digit.',
    'no-digits': 'No digit was found.',
    'non-digit-segment': 'One of the marks is not a digit.',
  },
  teach: TEACH_STRINGS.en,
};

const es: Strings = {
  title: 'wasmnn · reconocedor de dígitos manuscritos',
  heading: 'reconocedor de dígitos manuscritos',
  intro: 'Dibuja un dígito (con el ratón, un lápiz o el dedo) o suelta una foto. Una pequeña red neuronal lo lee en tu navegador con WebAssembly o en el servidor.',
  language: 'Idioma',
  inputHeading: 'Entrada',
  outputHeading: 'Predicción',
  whereRuns: 'Dónde se ejecuta el modelo',
  whatToRead: 'Qué leer',
  inBrowser: 'En el navegador',
  onServer: 'En el servidor',
  oneDigit: 'Un dígito',
  aNumber: 'Un número',
  padLabel: 'Área de dibujo',
  hintDigit: 'Dibuja un dígito aquí',
  hintNumber: 'Escribe un número aquí',
  hintDrop: 'o suelta una imagen PNG o JPEG',
  undo: 'Deshacer',
  clear: 'Borrar',
  upload: 'Subir imagen…',
  formats: 'Imágenes aceptadas: PNG y JPEG',
  waitingDigit: 'Esperando un dígito',
  waitingNumber: 'Esperando un número',
  confident: '{p} de confianza',
  leastSure: '(el dígito menos seguro)',
  notSure: 'poco seguro',
  comma: ', ',
  notDigit: 'No es un dígito',
  notNumber: 'No es un número',
  readInBrowser: 'Leído en tu navegador ({backend}) en {ms} ms',
  readOnServer: 'Leído en el servidor en {ms} ms',
  readingBrowser: 'Leyendo en el navegador…',
  askingServer: 'Consultando al servidor…',
  openingImage: 'Abriendo la imagen…',
  loadingModel: 'Cargando el modelo…',
  modelReady: 'Modelo listo en tu navegador ({backend}).',
  modelFailed: 'No se pudo cargar el modelo en este navegador: {why}. Las imágenes se leen en el servidor.',
  whyHttp: 'el servidor respondió HTTP {status}',
  whyNotModel: 'el servidor no envió un modelo',
  whyNetwork: 'falló la conexión de red',
  whyNoWasm: 'este navegador no puede ejecutar WebAssembly',
  browserUnavailable: 'El modelo no está disponible en este navegador',
  couldNotRead: 'No se pudo leer la imagen',
  wrongType: 'Solo se aceptan imágenes PNG y JPEG; {name} no es ninguna de las dos.',
  cannotDecode: 'Este navegador no pudo abrir {name}.',
  serverError: 'El servidor respondió {status}: {message}',
  serverGarbled: 'No se pudo entender la respuesta del servidor (HTTP {status}).',
  serverUnreachable: 'No se pudo contactar con el servidor.',
  dropHere: 'Suelta la imagen para leerla',
  dropRefused: 'Solo imágenes PNG y JPEG',
  chartLabel: 'Probabilidades de los dígitos del 0 al 9',
  apiPrograms: 'Para programas:',
  apiBody: 'con una imagen PNG o JPEG; añade',
  apiMulti: 'para leer un número.',
  reasons: {
    blank: 'La imagen está en blanco.',
    noise: 'Los trazos son demasiado débiles o tienen demasiado ruido para leerlos.',
    texture: 'Parece una textura o una foto, no un dígito.',
    'too-small': 'La escritura es demasiado pequeña para leerla.',
    blob: 'Es una forma rellena, no trazos.',
    line: 'Es una sola línea, no un dígito.',
    grid: 'Demasiadas marcas separadas o bucles cerrados para un dígito.',
    'not-a-digit': 'El modelo indica que esto no es un dígito.',
    unsure: 'El modelo no está lo bastante seguro para decir un dígito.',
    'no-digits': 'No se encontró ningún dígito.',
    'non-digit-segment': 'Una de las marcas no es un dígito.',
  },
  teach: TEACH_STRINGS.es,
};

const fr: Strings = {
  title: 'wasmnn · reconnaissance de chiffres manuscrits',
  heading: 'reconnaissance de chiffres manuscrits',
  intro: 'Dessinez un chiffre (souris, stylet ou doigt) ou déposez une photo. Un petit réseau de neurones le lit dans votre navigateur avec WebAssembly, ou sur le serveur.',
  language: 'Langue',
  inputHeading: 'Entrée',
  outputHeading: 'Prédiction',
  whereRuns: 'Où le modèle s’exécute',
  whatToRead: 'Quoi lire',
  inBrowser: 'Dans le navigateur',
  onServer: 'Sur le serveur',
  oneDigit: 'Un chiffre',
  aNumber: 'Un nombre',
  padLabel: 'Zone de dessin',
  hintDigit: 'Dessinez un chiffre ici',
  hintNumber: 'Écrivez un nombre ici',
  hintDrop: 'ou déposez une image PNG ou JPEG',
  undo: 'Annuler',
  clear: 'Effacer',
  upload: 'Importer une image…',
  formats: 'Images acceptées : PNG et JPEG',
  waitingDigit: 'En attente d’un chiffre',
  waitingNumber: 'En attente d’un nombre',
  confident: 'Confiance : {p}',
  leastSure: '(chiffre le moins sûr)',
  notSure: 'incertain',
  comma: ', ',
  notDigit: 'Ce n’est pas un chiffre',
  notNumber: 'Ce n’est pas un nombre',
  readInBrowser: 'Lu dans votre navigateur ({backend}) en {ms} ms',
  readOnServer: 'Lu sur le serveur en {ms} ms',
  readingBrowser: 'Lecture dans le navigateur…',
  askingServer: 'Interrogation du serveur…',
  openingImage: 'Ouverture de l’image…',
  loadingModel: 'Chargement du modèle…',
  modelReady: 'Modèle prêt dans votre navigateur ({backend}).',
  modelFailed: 'Le modèle n’a pas pu être chargé dans ce navigateur : {why}. Les images sont lues sur le serveur.',
  whyHttp: 'le serveur a répondu HTTP {status}',
  whyNotModel: 'le serveur n’a pas envoyé de modèle',
  whyNetwork: 'la requête réseau a échoué',
  whyNoWasm: 'ce navigateur ne peut pas exécuter WebAssembly',
  browserUnavailable: 'Le modèle n’est pas disponible dans ce navigateur',
  couldNotRead: 'Impossible de lire l’image',
  wrongType: 'Seules les images PNG et JPEG sont acceptées ; {name} n’est ni l’une ni l’autre.',
  cannotDecode: 'Ce navigateur n’a pas pu ouvrir {name}.',
  serverError: 'Le serveur a répondu {status} : {message}',
  serverGarbled: 'La réponse du serveur est incompréhensible (HTTP {status}).',
  serverUnreachable: 'Le serveur est injoignable.',
  dropHere: 'Déposez l’image pour la lire',
  dropRefused: 'Images PNG et JPEG uniquement',
  chartLabel: 'Probabilités des chiffres de 0 à 9',
  apiPrograms: 'Pour les programmes :',
  apiBody: 'avec une image PNG ou JPEG ; ajoutez',
  apiMulti: 'pour lire un nombre.',
  reasons: {
    blank: 'L’image est vide.',
    noise: 'Les traits sont trop pâles ou trop bruités pour être lus.',
    texture: 'Cela ressemble à une texture ou à une photo, pas à un chiffre.',
    'too-small': 'L’écriture est trop petite pour être lue.',
    blob: 'C’est une forme pleine, pas des traits.',
    line: 'C’est une simple ligne, pas un chiffre.',
    grid: 'Trop de traits séparés ou de boucles fermées pour un chiffre.',
    'not-a-digit': 'Le modèle indique que ce n’est pas un chiffre.',
    unsure: 'Le modèle n’est pas assez sûr pour donner un chiffre.',
    'no-digits': 'Aucun chiffre n’a été trouvé.',
    'non-digit-segment': 'L’un des tracés n’est pas un chiffre.',
  },
  teach: TEACH_STRINGS.fr,
};

const ar: Strings = {
  title: 'wasmnn · التعرّف على الأرقام المكتوبة بخط اليد',
  heading: 'التعرّف على الأرقام المكتوبة بخط اليد',
  intro: 'ارسم رقمًا (بالفأرة أو القلم أو الإصبع) أو اسحب صورة وأفلتها هنا. تقرؤه شبكة عصبية صغيرة في متصفحك باستخدام WebAssembly أو على الخادم.',
  language: 'اللغة',
  inputHeading: 'الإدخال',
  outputHeading: 'النتيجة',
  whereRuns: 'أين يعمل النموذج',
  whatToRead: 'ما المطلوب قراءته',
  inBrowser: 'في المتصفح',
  onServer: 'على الخادم',
  oneDigit: 'رقم واحد',
  aNumber: 'عدد',
  padLabel: 'مساحة الرسم',
  hintDigit: 'ارسم رقمًا هنا',
  hintNumber: 'اكتب عددًا هنا',
  hintDrop: 'أو اسحب صورة PNG أو JPEG وأفلتها هنا',
  undo: 'تراجع',
  clear: 'مسح',
  upload: 'رفع صورة…',
  formats: 'الصور المقبولة: PNG و JPEG',
  waitingDigit: 'في انتظار رقم',
  waitingNumber: 'في انتظار عدد',
  confident: 'الثقة {p}',
  leastSure: '(أقل الأرقام ثقة)',
  notSure: 'غير متأكد',
  comma: '، ',
  notDigit: 'ليس رقمًا',
  notNumber: 'ليس عددًا',
  readInBrowser: 'قُرئ في متصفحك ({backend}) خلال {ms} ملّي ثانية',
  readOnServer: 'قُرئ على الخادم خلال {ms} ملّي ثانية',
  readingBrowser: 'جارٍ القراءة في المتصفح…',
  askingServer: 'جارٍ سؤال الخادم…',
  openingImage: 'جارٍ فتح الصورة…',
  loadingModel: 'جارٍ تحميل النموذج…',
  modelReady: 'النموذج جاهز في متصفحك ({backend}).',
  modelFailed: 'تعذّر تحميل النموذج في هذا المتصفح: {why}. تُقرأ الصور على الخادم بدلًا من ذلك.',
  whyHttp: 'أجاب الخادم بالرمز HTTP {status}',
  whyNotModel: 'لم يرسل الخادم ملف نموذج',
  whyNetwork: 'فشل الاتصال بالشبكة',
  whyNoWasm: 'هذا المتصفح لا يستطيع تشغيل WebAssembly',
  browserUnavailable: 'النموذج غير متاح في هذا المتصفح',
  couldNotRead: 'تعذّرت قراءة الصورة',
  wrongType: 'تُقبل صور PNG و JPEG فقط، والملف {name} ليس منها.',
  cannotDecode: 'تعذّر على هذا المتصفح فتح الملف {name}.',
  serverError: 'أجاب الخادم بالرمز {status}: {message}',
  serverGarbled: 'تعذّر فهم ردّ الخادم (HTTP {status}).',
  serverUnreachable: 'تعذّر الوصول إلى الخادم.',
  dropHere: 'أفلت الصورة لقراءتها',
  dropRefused: 'صور PNG و JPEG فقط',
  chartLabel: 'احتمالات الأرقام من 0 إلى 9',
  apiPrograms: 'للبرامج:',
  apiBody: 'مع صورة PNG أو JPEG؛ أضف',
  apiMulti: 'لقراءة عدد.',
  reasons: {
    blank: 'الصورة فارغة.',
    noise: 'الخطوط باهتة جدًا أو مشوشة فلا يمكن قراءتها.',
    texture: 'تبدو هذه نسيجًا أو صورة فوتوغرافية، لا رقمًا.',
    'too-small': 'الكتابة أصغر من أن تُقرأ.',
    blob: 'هذا شكل مُصمت، لا خطوط قلم.',
    line: 'هذا خط واحد، لا رقم.',
    grid: 'علامات منفصلة أو حلقات مغلقة أكثر مما يكون في رقم.',
    'not-a-digit': 'يرى النموذج أن هذا ليس رقمًا.',
    unsure: 'النموذج غير متأكد بما يكفي لتسمية رقم.',
    'no-digits': 'لم يُعثر على أي رقم.',
    'non-digit-segment': 'إحدى العلامات ليست رقمًا.',
  },
  teach: TEACH_STRINGS.ar,
};

export const STRINGS: Record<Lang, Strings> = { en, es, fr, ar };

/** Keys whose value is plain text (everything but the reasons and teach tables). */
export type TextKey = { [K in keyof Strings]: Strings[K] extends string ? K : never }[keyof Strings];

/** Fills `{name}` placeholders; a placeholder without a value is left visible rather than dropped. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

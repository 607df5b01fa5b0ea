/**
 * The teach mode's text in each language the page speaks: one entry of the page's strings table
 * (strings.ts: `teach`). `{name}` marks a value filled in at run time (format()).
 */
export interface TeachStrings {
  heading: string;
  intro: string;
  start: string;
  padLabel: string;
  /** Before the digit to draw, shown large after it. */
  prompt: string;
  /** {n}, {total}: samples drawn so far, samples asked for. */
  progress: string;
  allDrawn: string;
  add: string;
  undoSample: string;
  redoSample: string;
  drawFirst: string;
  train: string;
  /** {p}: a percentage, already formatted. */
  training: string;
  cancel: string;
  /** After Cancel: nothing was saved and the samples are still there. */
  cancelled: string;
  /** {before}, {after}: percentages; {n}: held-out samples. */
  result: string;
  usingPersonal: string;
  usingShipped: string;
  reset: string;
  export: string;
  import: string;
  /** {why}: the error's message. */
  failed: string;
  importFailed: string;
}

export const TEACH_STRINGS = {
  en: {
    heading: 'Teach it your handwriting',
    intro: 'Draw each digit a few times; the page then fine-tunes the model to your handwriting, in your browser. Nothing you draw leaves this page.',
    start: 'Start teaching',
    padLabel: 'Drawing area for teaching',
    prompt: 'Draw the digit',
    progress: 'Sample {n} of {total}',
    allDrawn: 'All samples drawn. Train the model when you are ready.',
    add: 'Next',
    undoSample: 'Undo sample',
    redoSample: 'Redo sample',
    drawFirst: 'Draw the digit first.',
    train: 'Train on my handwriting',
    training: 'Training in the background… {p}',
    cancel: 'Cancel training',
    cancelled: 'Training cancelled. Your samples are kept; train again when you like.',
    result: 'Your {n} held-out samples: {before} read right before, {after} with your model.',
    usingPersonal: 'Reading with your personal model.',
    usingShipped: 'Reading with the shipped model.',
    reset: 'Use the shipped model',
    export: 'Export my model',
    import: 'Import a model…',
    failed: 'Training failed: {why}',
    importFailed: 'That model could not be used: {why}',
  },
  es: {
    heading: 'Enséñale tu letra',
    intro: 'Dibuja cada dígito varias veces; la página ajusta el modelo a tu letra, en tu navegador. Nada de lo que dibujes sale de esta página.',
    start: 'Empezar',
    padLabel: 'Zona de dibujo para enseñar',
    prompt: 'Dibuja el dígito',
    progress: 'Muestra {n} de {total}',
    allDrawn: 'Ya están todas las muestras. Entrena el modelo cuando quieras.',
    add: 'Siguiente',
    undoSample: 'Deshacer muestra',
    redoSample: 'Rehacer muestra',
    drawFirst: 'Dibuja primero el dígito.',
    train: 'Entrenar con mi letra',
    training: 'Entrenando en segundo plano… {p}',
    cancel: 'Cancelar el entrenamiento',
    cancelled: 'Entrenamiento cancelado. Tus muestras se conservan; vuelve a entrenar cuando quieras.',
    result: 'Tus {n} muestras reservadas: {before} bien leídas antes, {after} con tu modelo.',
    usingPersonal: 'Se lee con tu modelo personal.',
    usingShipped: 'Se lee con el modelo incluido.',
    reset: 'Usar el modelo incluido',
    export: 'Exportar mi modelo',
    import: 'Importar un modelo…',
    failed: 'El entrenamiento falló: {why}',
    importFailed: 'No se puede usar ese modelo: {why}',
  },
  fr: {
    heading: 'Apprenez-lui votre écriture',
    intro: 'Dessinez chaque chiffre quelques fois ; la page ajuste alors le modèle à votre écriture, dans votre navigateur. Rien de ce que vous dessinez ne quitte cette page.',
    start: 'Commencer',
    padLabel: 'Zone de dessin pour l’apprentissage',
    prompt: 'Dessinez le chiffre',
    progress: 'Exemple {n} sur {total}',
    allDrawn: 'Tous les exemples sont dessinés. Entraînez le modèle quand vous voulez.',
    add: 'Suivant',
    undoSample: 'Annuler l’exemple',
    redoSample: 'Rétablir l’exemple',
    drawFirst: 'Dessinez d’abord le chiffre.',
    train: 'Entraîner sur mon écriture',
    training: 'Entraînement en arrière-plan… {p}',
    cancel: 'Annuler l’entraînement',
    cancelled: 'Entraînement annulé. Vos échantillons sont conservés ; relancez-le quand vous voulez.',
    result: 'Vos {n} exemples mis de côté : {before} bien lus avant, {after} avec votre modèle.',
    usingPersonal: 'Lecture avec votre modèle personnel.',
    usingShipped: 'Lecture avec le modèle fourni.',
    reset: 'Revenir au modèle fourni',
    export: 'Exporter mon modèle',
    import: 'Importer un modèle…',
    failed: 'L’entraînement a échoué : {why}',
    importFailed: 'Ce modèle ne peut pas servir : {why}',
  },
  ar: {
    heading: 'علِّمه خطّ يدك',
    intro: 'ارسم كل رقم بضع مرات، ثم تضبط الصفحة النموذج على خطّك داخل متصفحك. لا يغادر شيء مما ترسمه هذه الصفحة.',
    start: 'ابدأ التعليم',
    padLabel: 'مساحة الرسم للتعليم',
    prompt: 'ارسم الرقم',
    progress: 'العيّنة {n} من {total}',
    allDrawn: 'اكتملت العيّنات. درّب النموذج متى شئت.',
    add: 'التالي',
    undoSample: 'تراجع عن العيّنة',
    redoSample: 'أعد العيّنة',
    drawFirst: 'ارسم الرقم أولًا.',
    train: 'درّب على خطّي',
    training: 'جارٍ التدريب في الخلفية… {p}',
    cancel: 'إلغاء التدريب',
    cancelled: 'أُلغي التدريب. عيّناتك محفوظة؛ درّب مجددًا متى شئت.',
    result: 'عيّناتك المحجوزة ({n}): {before} قُرئت صحيحًا قبل، و{after} بنموذجك.',
    usingPersonal: 'القراءة بنموذجك الشخصي.',
    usingShipped: 'القراءة بالنموذج المرفق.',
    reset: 'استخدم النموذج المرفق',
    export: 'صدّر نموذجي',
    import: 'استورد نموذجًا…',
    failed: 'فشل التدريب: {why}',
    importFailed: 'تعذّر استخدام هذا النموذج: {why}',
  },
} as const satisfies Record<string, TeachStrings>;

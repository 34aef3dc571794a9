/**
 * Every text of the portal, per language: English and French (the demo edition's host language). A language is
 * served when the campaign offers it (English, and its host language) and it has a catalogue here. The shared
 * schema's messages (application.logic.ts, submission.logic.ts) are stable keys, translated in `problems`.
 * `{name}` placeholders are filled by `format`. Pure.
 */

const en = {
  'site.name': 'Games volunteers',
  'site.edition': 'Edition {edition}',
  'skip': 'Skip to the main content',
  'lang.nav': 'Language',
  'footer.privacy': 'Your contact details and date of birth are encrypted and only used for recruiting volunteers.',

  'apply.title': 'Apply to volunteer',
  'apply.intro': 'Tell us about yourself, the languages you speak and when you are available. It takes about 10 minutes.',
  'apply.required': 'Fields marked “required” must be filled in.',
  'apply.closed.title': 'Applications are closed',
  'apply.closed.body': 'The volunteer programme is not taking applications at the moment.',
  'apply.submit': 'Send my application',
  'required': 'required',
  'optional': 'optional',

  'errors.title': 'There is a problem',
  'errors.intro': 'Please correct the following:',
  'errors.page': 'Error',

  'name.legend': 'Your name',
  'familyName': 'Family name',
  'givenName': 'Given name(s)',
  'contact.legend': 'Contact',
  'email': 'Email address',
  'email.hint': 'We only use it to send you news of your application.',
  'phone': 'Phone number',
  'phone.hint': 'With the country code, e.g. +33 6 12 34 56 78.',
  'dateOfBirth': 'Date of birth',
  'dateOfBirth.hint': 'You must be born on or before {date}.',
  'nationality': 'Nationality',
  'nationality.hint': 'The 3-letter country code of your passport, e.g. FRA for France, GBR for the United Kingdom.',
  'languages.legend': 'Languages you speak',
  'languages.hint': 'Choose your level for each language you speak (at least one).',
  'level.none': 'I do not speak it',
  'level.native': 'Native speaker',
  'level.cefr': '{level} (CEFR)',
  'skills.legend': 'Skills',
  'skills.hint': 'Tick any that apply.',
  'drivingLicence.legend': 'Do you hold a driving licence?',
  'yes': 'Yes',
  'no': 'No',
  'availability.legend': 'When are you available?',
  'availability.hint': 'Between {from} and {to}. Give one to three periods; the first is required.',
  'availability.period': 'Period {n}',
  'availability.from': 'From',
  'availability.to': 'To (inclusive)',
  'fields.legend': 'Fields of activity you would like',
  'fields.hint': 'Up to three, most preferred first; the first is required.',
  'fields.choice': 'Choice {n}',
  'fields.none': 'No choice',
  'choose': 'Choose…',
  'tshirtSize': 'T-shirt size',
  'consent.legend': 'Privacy',
  'consent': 'I have read the privacy notice (version {version}) and agree that my data is used to recruit volunteers.',
  'honeypot': 'Leave this field empty',

  'done.title': 'Application received',
  'done.body': 'Thank you, {name}. Your application has been received.',
  'done.link': 'Keep this private link: it is the only way to see where your application stands and to answer an offer.',
  'done.warn': 'Anyone with this link can see and change your application. Do not share it.',

  'status.title': 'Your application',
  'status.submitted': 'Submitted on {date}',
  'status.stage': 'Where it stands',
  'status.fields': 'Fields of activity you chose',
  'status.offer': 'Our offer',
  'status.offer.role': 'Role',
  'status.offer.area': 'Area',
  'status.offer.venue': 'Venue',
  'status.offer.deadline': 'Answer by',
  'status.accept': 'Accept the offer',
  'status.decline': 'Decline the offer',
  'status.decline.note': 'Declining is final.',
  'status.withdraw.legend': 'Withdraw my application',
  'status.withdraw.confirm': 'I understand that withdrawing is final.',
  'status.withdraw': 'Withdraw',
  'status.updated': 'Your answer has been recorded.',
  'status.confirm.required': 'Tick the box to confirm.',
  'status.refused': 'This is no longer possible: {reason}',
  'status.erased': 'The personal data of this application has been erased.',

  'stage.applied': 'Received: we will review it.',
  'stage.screened': 'Reviewed: we will invite you to an interview.',
  'stage.interview-booked': 'Interview booked.',
  'stage.interviewed': 'Interview done: training comes next.',
  'stage.trained': 'Training done: an offer may follow.',
  'stage.offered': 'You have an offer: please answer it.',
  'stage.accepted': 'You accepted the offer: we will confirm it.',
  'stage.declined': 'You declined the offer.',
  'stage.lapsed': 'The offer was not answered in time and has lapsed.',
  'stage.confirmed': 'Confirmed: welcome to the team!',
  'stage.rejected': 'We are sorry: your application was not retained.',
  'stage.withdrawn': 'You withdrew your application.',

  'error.400.title': 'The form could not be read',
  'error.400.body': 'The form arrived incomplete. Please send it again.',
  'error.404.title': 'Page not found',
  'error.404.body': 'There is no application at this address. Check the link you were given.',
  'error.413.title': 'Too much data',
  'error.413.body': 'The form sent more data than an application can hold. Shorten your answers and try again.',
  'error.415.title': 'Unsupported form',
  'error.415.body': 'Send the form from the application page.',
  'error.429.title': 'Too many attempts',
  'error.429.body': 'Too many forms were sent from your connection. Please wait {minutes} minutes and try again.',
  'error.500.title': 'Something went wrong',
  'error.500.body': 'Your application could not be handled. Please try again later (reference {ref}).',
  'error.503.title': 'Service busy',
  'error.503.body': 'The service is busy. Please try again in a minute.',
  'error.back': 'Back to the application form',

  'v.required': 'This is required',
  'v.at most 100 characters': 'Use at most 100 characters',
  'v.not an email address': 'Enter an email address like name@example.org',
  'v.not a phone number': 'Enter a phone number: digits, spaces, + ( ) -, 6 to 20 characters',
  'v.must be a date YYYY-MM-DD': 'Enter a real date as year-month-day, e.g. 1990-05-31',
  'v.must be a 3-letter IOC code in uppercase, e.g. JPN': 'Enter a 3-letter country code, e.g. FRA',
  'v.at least one language': 'Choose a level for at least one language',
  'v.each language once': 'Give each language once',
  'v.not a known code': 'Choose one of the options offered',
  'v.at least one date': 'Give at least one period',
  'v.from is after to': 'The end of the period is before its start',
  'v.at least one field of activity': 'Choose at least one field of activity',
  'v.at most 3 fields of activity': 'Choose at most 3 fields of activity',
  'v.each field once': 'Choose each field of activity once',
  'v.consent is required': 'You must agree to the privacy notice to apply',
  'v.too young': 'You must be born on or before {date}',
  'v.outside the Games dates': 'The period must be between {from} and {to}',
  'v.both dates': 'Give both the start and the end of the period',
  'v.tshirtSize': 'Choose a T-shirt size',
  'v.drivingLicence': 'Say whether you hold a driving licence',
  'v.level': 'Choose a level from the list',
  'v.invalid': 'Check this answer',
  'v.duplicate': 'An application from the same person (same names and date of birth) has already been received. Use the private link you were given to see it.',
  'v.closed': 'Applications are closed.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

const fr: Catalogue = {
  'site.name': 'Volontaires des Jeux',
  'site.edition': 'Édition {edition}',
  'skip': 'Aller au contenu principal',
  'lang.nav': 'Langue',
  'footer.privacy': 'Vos coordonnées et votre date de naissance sont chiffrées et servent uniquement au recrutement des volontaires.',

  'apply.title': 'Devenir volontaire',
  'apply.intro': 'Parlez-nous de vous, des langues que vous parlez et de vos disponibilités. Comptez environ 10 minutes.',
  'apply.required': 'Les champs marqués « obligatoire » doivent être remplis.',
  'apply.closed.title': 'Les candidatures sont closes',
  'apply.closed.body': 'Le programme des volontaires ne reçoit pas de candidatures en ce moment.',
  'apply.submit': 'Envoyer ma candidature',
  'required': 'obligatoire',
  'optional': 'facultatif',

  'errors.title': 'Il y a un problème',
  'errors.intro': 'Veuillez corriger ce qui suit :',
  'errors.page': 'Erreur',

  'name.legend': 'Votre nom',
  'familyName': 'Nom de famille',
  'givenName': 'Prénom(s)',
  'contact.legend': 'Coordonnées',
  'email': 'Adresse e-mail',
  'email.hint': 'Nous ne l’utilisons que pour vous donner des nouvelles de votre candidature.',
  'phone': 'Numéro de téléphone',
  'phone.hint': 'Avec l’indicatif du pays, par ex. +33 6 12 34 56 78.',
  'dateOfBirth': 'Date de naissance',
  'dateOfBirth.hint': 'Vous devez être né(e) le {date} ou avant.',
  'nationality': 'Nationalité',
  'nationality.hint': 'Le code pays en 3 lettres de votre passeport, par ex. FRA pour la France, BEL pour la Belgique.',
  'languages.legend': 'Langues parlées',
  'languages.hint': 'Choisissez votre niveau pour chaque langue que vous parlez (au moins une).',
  'level.none': 'Je ne la parle pas',
  'level.native': 'Langue maternelle',
  'level.cefr': '{level} (CECRL)',
  'skills.legend': 'Compétences',
  'skills.hint': 'Cochez celles qui s’appliquent.',
  'drivingLicence.legend': 'Avez-vous le permis de conduire ?',
  'yes': 'Oui',
  'no': 'Non',
  'availability.legend': 'Quand êtes-vous disponible ?',
  'availability.hint': 'Entre le {from} et le {to}. Indiquez une à trois périodes ; la première est obligatoire.',
  'availability.period': 'Période {n}',
  'availability.from': 'Du',
  'availability.to': 'Au (inclus)',
  'fields.legend': 'Domaines d’activité souhaités',
  'fields.hint': 'Jusqu’à trois, par ordre de préférence ; le premier est obligatoire.',
  'fields.choice': 'Choix {n}',
  'fields.none': 'Pas de choix',
  'choose': 'Choisir…',
  'tshirtSize': 'Taille de T-shirt',
  'consent.legend': 'Données personnelles',
  'consent': 'J’ai lu la politique de confidentialité (version {version}) et j’accepte que mes données servent au recrutement des volontaires.',
  'honeypot': 'Laissez ce champ vide',

  'done.title': 'Candidature reçue',
  'done.body': 'Merci, {name}. Votre candidature a bien été reçue.',
  'done.link': 'Gardez ce lien privé : c’est le seul moyen de suivre votre candidature et de répondre à une offre.',
  'done.warn': 'Toute personne ayant ce lien peut voir et modifier votre candidature. Ne le partagez pas.',

  'status.title': 'Votre candidature',
  'status.submitted': 'Envoyée le {date}',
  'status.stage': 'Où en est-elle',
  'status.fields': 'Domaines d’activité choisis',
  'status.offer': 'Notre offre',
  'status.offer.role': 'Rôle',
  'status.offer.area': 'Domaine',
  'status.offer.venue': 'Site',
  'status.offer.deadline': 'Répondre avant le',
  'status.accept': 'Accepter l’offre',
  'status.decline': 'Refuser l’offre',
  'status.decline.note': 'Un refus est définitif.',
  'status.withdraw.legend': 'Retirer ma candidature',
  'status.withdraw.confirm': 'Je comprends que le retrait est définitif.',
  'status.withdraw': 'Retirer',
  'status.updated': 'Votre réponse a été enregistrée.',
  'status.confirm.required': 'Cochez la case pour confirmer.',
  'status.refused': 'Ce n’est plus possible : {reason}',
  'status.erased': 'Les données personnelles de cette candidature ont été effacées.',

  'stage.applied': 'Reçue : nous allons l’examiner.',
  'stage.screened': 'Examinée : nous vous inviterons à un entretien.',
  'stage.interview-booked': 'Entretien réservé.',
  'stage.interviewed': 'Entretien passé : la formation suit.',
  'stage.trained': 'Formation suivie : une offre peut suivre.',
  'stage.offered': 'Vous avez une offre : merci d’y répondre.',
  'stage.accepted': 'Vous avez accepté l’offre : nous allons la confirmer.',
  'stage.declined': 'Vous avez refusé l’offre.',
  'stage.lapsed': 'L’offre n’a pas reçu de réponse à temps et a expiré.',
  'stage.confirmed': 'Confirmé : bienvenue dans l’équipe !',
  'stage.rejected': 'Nous sommes désolés : votre candidature n’a pas été retenue.',
  'stage.withdrawn': 'Vous avez retiré votre candidature.',

  'error.400.title': 'Le formulaire n’a pas pu être lu',
  'error.400.body': 'Le formulaire est arrivé incomplet. Veuillez le renvoyer.',
  'error.404.title': 'Page introuvable',
  'error.404.body': 'Il n’y a pas de candidature à cette adresse. Vérifiez le lien qui vous a été donné.',
  'error.413.title': 'Trop de données',
  'error.413.body': 'Le formulaire a envoyé plus de données qu’une candidature ne peut en contenir. Raccourcissez vos réponses et réessayez.',
  'error.415.title': 'Formulaire non pris en charge',
  'error.415.body': 'Envoyez le formulaire depuis la page de candidature.',
  'error.429.title': 'Trop de tentatives',
  'error.429.body': 'Trop de formulaires ont été envoyés depuis votre connexion. Attendez {minutes} minutes et réessayez.',
  'error.500.title': 'Une erreur est survenue',
  'error.500.body': 'Votre demande n’a pas pu être traitée. Réessayez plus tard (référence {ref}).',
  'error.503.title': 'Service occupé',
  'error.503.body': 'Le service est occupé. Réessayez dans une minute.',
  'error.back': 'Retour au formulaire de candidature',

  'v.required': 'Ce champ est obligatoire',
  'v.at most 100 characters': 'Utilisez au plus 100 caractères',
  'v.not an email address': 'Saisissez une adresse e-mail comme nom@exemple.fr',
  'v.not a phone number': 'Saisissez un numéro de téléphone : chiffres, espaces, + ( ) -, de 6 à 20 caractères',
  'v.must be a date YYYY-MM-DD': 'Saisissez une date réelle au format année-mois-jour, par ex. 1990-05-31',
  'v.must be a 3-letter IOC code in uppercase, e.g. JPN': 'Saisissez un code pays en 3 lettres, par ex. FRA',
  'v.at least one language': 'Choisissez un niveau pour au moins une langue',
  'v.each language once': 'Indiquez chaque langue une seule fois',
  'v.not a known code': 'Choisissez une des options proposées',
  'v.at least one date': 'Indiquez au moins une période',
  'v.from is after to': 'La fin de la période est avant son début',
  'v.at least one field of activity': 'Choisissez au moins un domaine d’activité',
  'v.at most 3 fields of activity': 'Choisissez au plus 3 domaines d’activité',
  'v.each field once': 'Choisissez chaque domaine d’activité une seule fois',
  'v.consent is required': 'Vous devez accepter la politique de confidentialité pour candidater',
  'v.too young': 'Vous devez être né(e) le {date} ou avant',
  'v.outside the Games dates': 'La période doit être comprise entre le {from} et le {to}',
  'v.both dates': 'Indiquez le début et la fin de la période',
  'v.tshirtSize': 'Choisissez une taille de T-shirt',
  'v.drivingLicence': 'Indiquez si vous avez le permis de conduire',
  'v.level': 'Choisissez un niveau dans la liste',
  'v.invalid': 'Vérifiez cette réponse',
  'v.duplicate': 'Une candidature de la même personne (mêmes noms et date de naissance) a déjà été reçue. Utilisez le lien privé qui vous a été donné pour la consulter.',
  'v.closed': 'Les candidatures sont closes.',
};

/** The catalogues the portal has; a campaign's host language without one is served in English only. */
export const CATALOGUES: Readonly<Record<string, Catalogue>> = { en, fr };

/** Each language's own name, for the language switch (written in that language). */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = { en: 'English', fr: 'Français' };

/** A message with its `{name}` placeholders filled (values are text: the page escapes them when it renders). */
export function format(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Translates keys for one language. */
export interface Translator {
  readonly locale: string;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** A date (YYYY-MM-DD, or an ISO instant with its time) written out in this language: 26 July 2006 / 26 juillet 2006. */
  date(value: string, withTime?: boolean): string;
}

export function translator(locale: string): Translator {
  const catalogue = CATALOGUES[locale] ?? en;
  const tag = locale === 'fr' ? 'fr-FR' : 'en-GB';
  return {
    locale: CATALOGUES[locale] ? locale : 'en',
    t: (key, values) => format(catalogue[key], values),
    date: (value, withTime = false) => {
      const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
      if (Number.isNaN(at.getTime())) return value;
      // Instants (an offer's deadline) are written in UTC, and say so: the campaign has no time zone of its own.
      const text = new Intl.DateTimeFormat(tag, { dateStyle: 'long', ...(withTime ? { timeStyle: 'short' } : {}), timeZone: 'UTC' }).format(at);
      return withTime ? `${text} UTC` : text;
    },
  };
}

/** People, lists, subjects and words of a plausible office mailbox in several languages. */
import type { Person } from './encoders';
import { pad2 } from './encoders';
import type { Random } from './random';

export const DOMAIN = 'example.test';
export const ME: Person = { name: 'Alice Example', addr: `alice@${DOMAIN}` };

export const PEOPLE: readonly Person[] = (
  [
    ['Bob Smith', `bob@${DOMAIN}`],
    ['Carol Jones', `carol@${DOMAIN}`],
    ['Alice Martin', 'alice.martin@corp.example'],
    ['David Brown', 'david.brown@corp.example'],
    ['Emma Wilson', 'emma@startup.example'],
    ['José García', 'jose.garcia@empresa.example'],
    ['Zoë Müller', 'zoe.mueller@firma.example'],
    ['Łukasz Wróbel', 'lukasz@firma.example'],
    ['François Lefèvre', 'f.lefevre@societe.example'],
    ['Søren Kierkegård', 'soren@nordic.example'],
    ['Ñuñez, Martín', 'mnunez@empresa.example'],
    ['田中 太郎', 'tanaka@kaisha.example'],
    ['山田 花子', 'hanako.yamada@kaisha.example'],
    ['Дмитрий Иванов', 'd.ivanov@kompaniya.example'],
    ['Αλέξανδρος Παπαδόπουλος', 'alex.p@etaireia.example'],
    ['김민준', 'minjun.kim@hoesa.example'],
    ['محمد علي', 'm.ali@sharika.example'],
    ["O'Brien, Siobhán", 'siobhan.obrien@corp.example'],
    ['Dr. Rajesh Kumar', 'rkumar@university.example'],
    ['Li Wei (李伟)', 'liwei@gongsi.example'],
    ['Grace Hopper', 'grace@navy.example'],
    ['Frank Miller', 'frank@corp.example'],
    ['Heidi Schäfer', 'heidi@firma.example'],
    ['Ivan Petrov', 'ivan@corp.example'],
    ['Kenji Sato', 'kenji@kaisha.example'],
    [null, 'noreply@service.example'],
    ['IT Helpdesk', 'helpdesk@corp.example'],
    ['GitHub', 'notifications@git.example'],
  ] as const
).map(([name, addr]) => ({ name, addr }));

export interface MailingList {
  name: string;
  id: string;
  from: Person;
  isNewsletter: boolean;
}

export const LISTS: readonly MailingList[] = [
  {
    name: 'dev-list',
    id: 'Developers <dev-list.lists.example>',
    from: { name: 'dev-list', addr: 'dev-list@lists.example' },
    isNewsletter: false,
  },
  {
    name: 'announce',
    id: 'Announcements <announce.corp.example>',
    from: { name: 'Corp Announcements', addr: 'announce@corp.example' },
    isNewsletter: false,
  },
  {
    name: 'Weekly Digest',
    id: 'Weekly Digest <digest.news.example>',
    from: { name: 'The Weekly Digest', addr: 'digest@news.example' },
    isNewsletter: true,
  },
  {
    name: 'Angebote',
    id: 'Angebote <angebote.shop.example>',
    from: { name: 'Shöp Angebote', addr: 'angebote@shop.example' },
    isNewsletter: true,
  },
];

const WORDS = (
  'the project team meeting schedule budget review report customer release update design server client ' +
  'database feature issue deadline plan quarter revenue marketing sales product support ticket deploy build test ' +
  'migration performance latency network storage backup security policy account invoice payment contract draft ' +
  'proposal agenda minutes action item follow up next week today tomorrow please thanks let me know if you have ' +
  'any questions we should could would will need want think agree discuss call office remote travel hotel flight ' +
  'conference slides demo prototype feedback priority blocker estimate timeline milestone roadmap launch campaign'
).split(/\s+/);

const FOREIGN = [
  'Vielen Dank für die schnelle Rückmeldung. Können wir uns nächste Woche treffen, um die Änderungen zu besprechen?',
  'Merci pour votre message. Je vous envoie le document révisé dès que possible — à très bientôt.',
  '¿Podrías revisar el presupuesto antes del viernes? Gracias de antemano, señor.',
  'お疲れ様です。会議の議事録を添付しましたので、ご確認ください。よろしくお願いいたします。',
  'Добрый день! Прошу подтвердить получение отчёта до конца недели.',
  'Emoji test: 🎉 release shipped 🚀 — café, naïve, résumé, Ærø, ß.',
];

export const SUBJECTS = [
  'Weekly status report',
  'Q{q} sales report',
  'Incident report: {svc} outage',
  'Expense report for {mon}',
  'Meeting notes {y}-{mm}-{dd}',
  'Budget review',
  'Project {proj} kickoff',
  'Invoice #{n}',
  'Your order {n} has shipped',
  'Lunch on {day}?',
  'Question about the {proj} deadline',
  'Design review for {proj}',
  'Draft proposal v{v}',
  'Büroumzug nächste Woche',
  'Réunion de lancement – {proj}',
  'Presupuesto {y}',
  '会議の議事録 ({mm}/{dd})',
  'Отчёт за {mon}',
  'Urgent: contract signature needed',
  'Photos from the offsite 📸',
  'Vacation request {mm}/{dd}',
];
export const PROJECTS = ['Atlas', 'Borealis', 'Cobalt', 'Delta', 'Everest', 'Fjord', 'Gemini', 'Helios'];
const SERVICES = ['API', 'database', 'login', 'payments', 'search', 'storage'];
const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function fillTemplate(random: Random, template: string, ms: number): string {
  const d = new Date(ms);
  return template
    .replace('{q}', String(random.int(1, 4)))
    .replace('{svc}', random.pick(SERVICES))
    .replace('{mon}', MONTHS_LONG[d.getUTCMonth()]!)
    .replace('{y}', String(d.getUTCFullYear()))
    .replace('{mm}', pad2(d.getUTCMonth() + 1))
    .replace('{dd}', pad2(d.getUTCDate()))
    .replace('{proj}', random.pick(PROJECTS))
    .replace('{n}', String(random.int(1000, 99999)))
    .replace('{day}', random.pick(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']))
    .replace('{v}', String(random.int(2, 7)));
}

export function sentence(random: Random): string {
  const words: string[] = [];
  for (let i = random.int(6, 18); i > 0; i--) words.push(random.pick(WORDS));
  const text = words.join(' ');
  return text[0]!.toUpperCase() + text.slice(1) + random.pick(['.', '.', '.', '?', '!']);
}

export function paragraphs(random: Random, min: number, max: number, foreign: boolean): string[] {
  const out: string[] = [];
  for (let i = random.int(min, max); i > 0; i--) {
    const sentences: string[] = [];
    for (let j = random.int(2, 6); j > 0; j--) sentences.push(sentence(random));
    out.push(sentences.join(' '));
  }
  if (foreign) out.splice(random.int(0, out.length), 0, random.pick(FOREIGN));
  return out;
}

export function wrap(text: string, width = 72): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line;
      const out: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        if (current && `${current} ${word}`.length > width) {
          out.push(current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      if (current) out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const firstName = (p: Person): string =>
  p.name ? p.name.replace(/^Dr\. /, '').split(/[ ,(]/)[0]! : 'there';

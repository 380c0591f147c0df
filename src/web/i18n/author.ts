import type { WebContext } from '../context.ts';
import type { Dictionary } from './index.ts';
import { ru as ruBase } from './ru.ts';

/** English words of the author's page. Russian has exactly these keys. */
export const authorEn = {
  nav: 'My material',
  title: 'My material',
  intro: 'How learners work with what you wrote: counts for all of them together, never one person’s activity.',
  none: 'No content lists you as an author yet. Ask an operator to register your courses.',
  earnings: 'What your material earns',
  live: '{period} so far (provisional: it changes until the month closes)',
  closed: '{period} (closed)',
  fromMembers: 'From learners’ subscriptions',
  fromPool: 'From the common pool',
  adjustments: 'Refunds and carried amounts',
  total: 'Total',
  learnersPaying: 'Paying learners whose work reached your material',
  noEarnings: 'Nothing earned yet this month.',
  balance: 'Balance of closed months',
  balanceHelp: 'What closed months have posted to your account, less payouts.',
  unavailable: 'Earnings cannot be shown right now.',
  course: 'Course',
  item: 'Material',
  recent: 'Last {days} days',
  allTime: 'All time',
  actions: 'Actions',
  learners: 'Learners',
  hours: 'Hours',
  fewer: 'fewer than {n}',
  fewerNote: 'Where fewer than {n} learners worked, only that is said, so that no one’s activity can be told apart.',
  chart: 'Learners’ actions on your material per week, last {weeks} weeks',
  weekOf: 'Week of',
};

export type AuthorWords = typeof authorEn;

export const authorRu: AuthorWords = {
  nav: 'Мои материалы',
  title: 'Мои материалы',
  intro: 'Как учащиеся работают с вашими материалами: только общие числа, никогда — действия одного человека.',
  none: 'Пока ни один материал не указывает вас автором. Попросите оператора зарегистрировать ваши курсы.',
  earnings: 'Сколько приносят ваши материалы',
  live: '{period} на сейчас (предварительно: меняется до закрытия месяца)',
  closed: '{period} (закрыт)',
  fromMembers: 'Из подписок учащихся',
  fromPool: 'Из общего пула',
  adjustments: 'Возвраты и перенесённые суммы',
  total: 'Итого',
  learnersPaying: 'Платящие учащиеся, чья работа пришлась на ваши материалы',
  noEarnings: 'В этом месяце пока ничего не начислено.',
  balance: 'Баланс закрытых месяцев',
  balanceHelp: 'Что закрытые месяцы зачислили на ваш счёт, за вычетом выплат.',
  unavailable: 'Начисления сейчас показать нельзя.',
  course: 'Курс',
  item: 'Материал',
  recent: 'Последние {days} дней',
  allTime: 'За всё время',
  actions: 'Действия',
  learners: 'Учащиеся',
  hours: 'Часы',
  fewer: 'меньше {n}',
  fewerNote: 'Где работали меньше {n} учащихся, говорится только это, чтобы ничьи действия нельзя было различить.',
  chart: 'Действия учащихся с вашими материалами по неделям, последние {weeks} недель',
  weekOf: 'Неделя с',
};

export const authorWords = (c: WebContext): AuthorWords => (c.get('locale').lang === 'ru' ? authorRu : authorEn);
export const authorWordsOf = (t: Dictionary): AuthorWords => (t === ruBase ? authorRu : authorEn);

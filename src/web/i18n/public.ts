import type { WebContext } from '../context.ts';
import type { Dictionary } from './index.ts';
import { ru as ruBase } from './ru.ts';

/** English words of the public pages. Russian has exactly these keys. */
export const publicEn = {
  nav: 'Leaders',
  title: 'Leaderboard',
  intro: 'Members by the points their learning and contribution earned: those who chose, in their settings, to appear here.',
  periods: { week: 'This week', month: 'This month', all: 'All time' } as Record<string, string>,
  periodLabel: 'Period',
  kinds: { all: 'All points', contribution: 'Contribution only' } as Record<string, string>,
  kindLabel: 'Points for',
  rank: 'Place',
  member: 'Member',
  points: 'Points',
  unnamed: 'Member #{id}',
  empty: 'Nobody has earned points in this period yet.',
  you: 'You are in place {rank} with {points} points.',
  youNone: 'You have no points in this period yet.',
  hidden: 'You are not on the leaderboards: your name appears only if you choose so.',
  settingsLink: 'Change this in your settings',
  caption: '{period}: {kind}',
};

export type PublicWords = typeof publicEn;

export const publicRu: PublicWords = {
  nav: 'Лидеры',
  title: 'Таблица лидеров',
  intro: 'Участники по баллам, заработанным обучением и вкладом: те, кто в настройках решил здесь появиться.',
  periods: { week: 'Эта неделя', month: 'Этот месяц', all: 'Всё время' },
  periodLabel: 'Период',
  kinds: { all: 'Все баллы', contribution: 'Только вклад' },
  kindLabel: 'Баллы за',
  rank: 'Место',
  member: 'Участник',
  points: 'Баллы',
  unnamed: 'Участник №{id}',
  empty: 'В этом периоде баллов пока ни у кого нет.',
  you: 'Вы на {rank} месте: {points} баллов.',
  youNone: 'В этом периоде у вас пока нет баллов.',
  hidden: 'Вас нет в таблицах лидеров: ваше имя появится, только если вы так решите.',
  settingsLink: 'Изменить в настройках',
  caption: '{period}: {kind}',
};

export const publicWords = (c: WebContext): PublicWords => (c.get('locale').lang === 'ru' ? publicRu : publicEn);
export const publicWordsOf = (t: Dictionary): PublicWords => (t === ruBase ? publicRu : publicEn);

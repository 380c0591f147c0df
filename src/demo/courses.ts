import type { Rng } from './random.ts';
import type { DemoContent } from './types.ts';

const COURSES: [slug: string, title: string][] = [
  ['systems-thinking', 'Системное мышление'],
  ['systems-management', 'Системный менеджмент'],
  ['modeling', 'Моделирование'],
  ['personal-development', 'Личное развитие'],
  ['systems-engineering', 'Системная инженерия'],
  ['rational-work', 'Рациональная работа'],
  ['methodology', 'Методология'],
  ['self-development', 'Системное саморазвитие'],
  ['ontology', 'Онтология'],
  ['intellect-stack', 'Интеллект-стек'],
  ['writing-to-think', 'Письмо как мышление'],
  ['systems-leadership', 'Системное лидерство'],
];

const TOPICS = [
  'Системы и их окружение', 'Роли и интересы', 'Методы работы', 'Рабочие продукты', 'Жизненный цикл',
  'Функция и конструкция', 'Системные уровни', 'Описание и документирование', 'Внимание и собранность',
  'Понятия и типы', 'Моделирование предметной области', 'Мастерство и практики', 'Стратегирование',
  'Командная работа', 'Организационное развитие', 'Инженерное обоснование', 'Требования и архитектура',
  'Проверка и приёмка', 'Эксплуатация и развитие', 'Модели и мета-модели', 'Онтологические ошибки',
  'Чтение как работа', 'Письмо как мышление', 'Учёт времени', 'Планирование недели', 'Коммуникация в проекте',
  'Агентность', 'Культура и ценности', 'Экзокортекс', 'Обучение как проект',
];

export interface Section {
  id: string;
  index: number;
  authors: { member: number; share: number }[];
  /** Sections with an assignment end in a submission that a mentor reviews. */
  assignment: boolean;
  /** Day index on which it appears; negative means before the window. Increases along the course. */
  publishDay: number;
}

export interface Course {
  id: string;
  title: string;
  sections: Section[];
}

/** Twelve courses of 8-25 sections by the course authors; some sections are written during the window. */
export function buildCourses(rng: Rng, authors: number[], days: number): { courses: Course[]; content: DemoContent[] } {
  const courses: Course[] = [];
  const content: DemoContent[] = [];
  COURSES.forEach(([slug, title], c) => {
    const lead = authors[c % authors.length]!;
    const count = rng.int(8, 25);
    const publishDays = publishSchedule(rng, c === COURSES.length - 1, count, days);
    const topics = rng.shuffle([...TOPICS]);
    const course: Course = { id: `course:${slug}`, title, sections: [] };
    content.push({ id: course.id, kind: 'course', title, parent_id: null, authors: [{ member: lead, share: 100 }] });
    for (let s = 0; s < count; s++) {
      const number = String(s + 1).padStart(2, '0');
      const coauthor = authors.length > 1 && rng.chance(0.25) ? rng.pick(authors.filter((a) => a !== lead)) : null;
      const split = rng.pick([60, 70, 50]);
      const section: Section = {
        id: `section:${slug}/${number}`,
        index: s,
        authors: coauthor === null ? [{ member: lead, share: 100 }] : [{ member: lead, share: split }, { member: coauthor, share: 100 - split }],
        assignment: s % 2 === 1 || s === count - 1,
        publishDay: publishDays[s]!,
      };
      const topic = s === 0 ? 'Введение' : s === count - 1 ? 'Итоги курса' : topics[s % topics.length]!;
      course.sections.push(section);
      content.push({ id: section.id, kind: 'section', title: `${number}. ${topic}`, parent_id: course.id, authors: section.authors });
    }
    courses.push(course);
  });
  return { courses, content };
}

/** The newest course comes out section by section during the window; some others get fresh final sections. */
function publishSchedule(rng: Rng, isNew: boolean, count: number, days: number): number[] {
  const before = Array.from({ length: count }, () => -1);
  if (isNew) {
    const first = Math.floor(days * 0.3);
    const step = Math.max(1, Math.floor((days * 0.6) / count));
    return before.map((_, s) => first + s * step);
  }
  if (!rng.chance(0.4)) return before;
  const fresh = rng.int(1, 3);
  const when = Array.from({ length: fresh }, () => rng.int(Math.floor(days * 0.1), Math.floor(days * 0.95))).sort((a, b) => a - b);
  return before.map((day, s) => (s >= count - fresh ? when[s - (count - fresh)]! : day));
}

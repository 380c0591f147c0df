import type { ActionType } from './action-type.ts';

const action = (
  key: string,
  kind: ActionType['kind'],
  role: string,
  minutes: number,
  tags: string[],
  en: string,
  ru: string,
): ActionType => ({ key, kind, role, minutes, tags, title: { en, ru } });

/** The community's real actions, as shipped; operators change them through the API or the CLI. */
export const DEFAULT_CATALOGUE: ActionType[] = [
  action('course.section.read', 'learning', 'student', 15, ['course', 'reading'], 'Read a course section', 'Прочитал раздел курса'),
  action('course.assignment.submitted', 'learning', 'student', 45, ['course', 'assignment'], 'Submitted an assignment', 'Сдал задание'),
  action('course.assignment.accepted', 'learning', 'student', 15, ['course', 'assignment'], 'Assignment accepted', 'Задание принято'),
  action('course.test.passed', 'learning', 'student', 20, ['course', 'test'], 'Passed a test', 'Сдал тест'),
  action('qualification.achieved', 'learning', 'student', 0, ['qualification'], 'Achieved a qualification', 'Получил квалификацию'),
  action('forum.topic.created', 'contribution', 'student', 40, ['forum', 'writing'], 'Started a forum topic', 'Создал тему на форуме'),
  action('forum.post.created', 'contribution', 'student', 20, ['forum', 'writing'], 'Wrote a forum post', 'Написал пост на форуме'),
  action('forum.comment.created', 'contribution', 'student', 5, ['forum', 'writing'], 'Wrote a comment', 'Написал комментарий'),
  action('forum.like.given', 'learning', 'student', 0, ['forum', 'peer'], 'Liked a post', 'Поставил лайк'),
  action('forum.like.received', 'contribution', 'student', 0, ['forum', 'peer'], 'Post liked by another member', 'Пост получил лайк'),
  action('forum.solution.accepted', 'contribution', 'student', 0, ['forum', 'peer', 'help'], 'Answer accepted as the solution', 'Ответ принят как решение'),
  action('telegram.message.sent', 'contribution', 'student', 2, ['telegram', 'networking'], 'Wrote in a community chat', 'Написал в чат сообщества'),
  action('mentor.review.done', 'contribution', 'mentor', 30, ['mentoring', 'review'], 'Reviewed a learner\'s work', 'Проверил работу ученика'),
  action('mentor.session.held', 'contribution', 'mentor', 60, ['mentoring'], 'Held a mentoring session', 'Провёл менторскую сессию'),
  action('ambassador.referral.joined', 'contribution', 'ambassador', 0, ['ambassador', 'growth'], 'A referred person joined', 'Приглашённый присоединился'),
  action('ambassador.meetup.hosted', 'contribution', 'ambassador', 120, ['ambassador', 'event'], 'Hosted a meetup', 'Провёл встречу'),
  action('course.section.authored', 'contribution', 'author', 180, ['authoring', 'course'], 'Authored a course section', 'Написал раздел курса'),
  action('course.section.revised', 'contribution', 'author', 60, ['authoring', 'course'], 'Revised a course section', 'Обновил раздел курса'),
  action('event.attended', 'learning', 'student', 90, ['event'], 'Attended a community event', 'Посетил мероприятие сообщества'),
  action('event.talk.given', 'contribution', 'student', 240, ['event', 'speaking'], 'Gave a talk', 'Выступил с докладом'),
];

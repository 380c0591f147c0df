import type { Rng } from './random.ts';

// [Cyrillic, Latin] pairs, so usernames are transliterated consistently with display names.
const MALE: [string, string][] = [
  ['Александр', 'aleksandr'], ['Дмитрий', 'dmitry'], ['Максим', 'maksim'], ['Сергей', 'sergey'], ['Андрей', 'andrey'],
  ['Алексей', 'aleksey'], ['Артём', 'artem'], ['Илья', 'ilya'], ['Кирилл', 'kirill'], ['Михаил', 'mikhail'],
  ['Никита', 'nikita'], ['Павел', 'pavel'], ['Роман', 'roman'], ['Евгений', 'evgeny'], ['Иван', 'ivan'],
  ['Олег', 'oleg'], ['Владимир', 'vladimir'], ['Николай', 'nikolay'], ['Антон', 'anton'], ['Георгий', 'georgy'],
  ['Тимур', 'timur'], ['Денис', 'denis'], ['Игорь', 'igor'], ['Юрий', 'yury'], ['Константин', 'konstantin'],
];
const FEMALE: [string, string][] = [
  ['Анна', 'anna'], ['Мария', 'maria'], ['Елена', 'elena'], ['Ольга', 'olga'], ['Наталья', 'natalya'],
  ['Екатерина', 'ekaterina'], ['Ирина', 'irina'], ['Татьяна', 'tatyana'], ['Светлана', 'svetlana'], ['Юлия', 'yulia'],
  ['Анастасия', 'anastasia'], ['Дарья', 'darya'], ['Ксения', 'ksenia'], ['Полина', 'polina'], ['Алина', 'alina'],
  ['Виктория', 'viktoria'], ['Марина', 'marina'], ['Софья', 'sofya'], ['Вера', 'vera'], ['Людмила', 'lyudmila'],
  ['Евгения', 'evgenia'], ['Александра', 'aleksandra'],
];
// Surnames whose feminine form adds -а, so one list serves both.
const SURNAMES: [string, string][] = [
  ['Иванов', 'ivanov'], ['Смирнов', 'smirnov'], ['Кузнецов', 'kuznetsov'], ['Попов', 'popov'], ['Васильев', 'vasiliev'],
  ['Петров', 'petrov'], ['Соколов', 'sokolov'], ['Михайлов', 'mikhailov'], ['Новиков', 'novikov'], ['Фёдоров', 'fedorov'],
  ['Морозов', 'morozov'], ['Волков', 'volkov'], ['Алексеев', 'alekseev'], ['Лебедев', 'lebedev'], ['Семёнов', 'semenov'],
  ['Егоров', 'egorov'], ['Павлов', 'pavlov'], ['Козлов', 'kozlov'], ['Степанов', 'stepanov'], ['Николаев', 'nikolaev'],
  ['Орлов', 'orlov'], ['Андреев', 'andreev'], ['Макаров', 'makarov'], ['Никитин', 'nikitin'], ['Захаров', 'zakharov'],
  ['Зайцев', 'zaitsev'], ['Соловьёв', 'solovyev'], ['Борисов', 'borisov'], ['Яковлев', 'yakovlev'], ['Григорьев', 'grigoriev'],
  ['Романов', 'romanov'], ['Воробьёв', 'vorobyev'], ['Сергеев', 'sergeev'], ['Кузьмин', 'kuzmin'], ['Фролов', 'frolov'],
  ['Александров', 'aleksandrov'], ['Дмитриев', 'dmitriev'], ['Королёв', 'korolev'], ['Гусев', 'gusev'], ['Киселёв', 'kiselev'],
  ['Ильин', 'ilyin'], ['Максимов', 'maksimov'], ['Поляков', 'polyakov'], ['Сорокин', 'sorokin'], ['Виноградов', 'vinogradov'],
  ['Ковалёв', 'kovalev'], ['Белов', 'belov'], ['Медведев', 'medvedev'], ['Антонов', 'antonov'], ['Тарасов', 'tarasov'],
  ['Жуков', 'zhukov'], ['Баранов', 'baranov'], ['Филиппов', 'filippov'], ['Комаров', 'komarov'], ['Давыдов', 'davydov'],
  ['Беляев', 'belyaev'], ['Герасимов', 'gerasimov'], ['Богданов', 'bogdanov'], ['Осипов', 'osipov'], ['Сидоров', 'sidorov'],
  ['Матвеев', 'matveev'], ['Титов', 'titov'], ['Марков', 'markov'], ['Миронов', 'mironov'], ['Крылов', 'krylov'],
  ['Куликов', 'kulikov'], ['Карпов', 'karpov'], ['Власов', 'vlasov'], ['Мельников', 'melnikov'], ['Денисов', 'denisov'],
];
const ENGLISH_FIRST = [
  'James', 'Emma', 'Oliver', 'Sophia', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Isabella',
  'Daniel', 'Charlotte', 'David', 'Amelia', 'Michael', 'Grace', 'Thomas', 'Chloe', 'Samuel', 'Hannah', 'Leo', 'Zoe',
];
const ENGLISH_LAST = [
  'Smith', 'Johnson', 'Brown', 'Taylor', 'Wilson', 'Davies', 'Evans', 'Roberts', 'Walker', 'Wright', 'Robinson',
  'Thompson', 'White', 'Hughes', 'Edwards', 'Green', 'Hall', 'Wood', 'Harris', 'Clarke', 'Jackson', 'Turner',
  'Hill', 'Moore', 'Cooper', 'Ward', 'Baker', 'King', 'Scott', 'Miller', 'Garcia', 'Martin', 'Lee',
];

export interface PersonName {
  display: string;
  /** Lowercase Latin first and last name, the raw material of a username. */
  first: string;
  last: string;
}

const capital = (word: string): string => word[0]!.toUpperCase() + word.slice(1);

export function personName(rng: Rng): PersonName {
  const style = rng.next();
  if (style < 0.15) {
    const first = rng.pick(ENGLISH_FIRST);
    const last = rng.pick(ENGLISH_LAST);
    return { display: `${first} ${last}`, first: first.toLowerCase(), last: last.toLowerCase() };
  }
  const female = rng.chance(0.5);
  const [firstRu, firstEn] = rng.pick(female ? FEMALE : MALE);
  const [lastRu, lastEn] = rng.pick(SURNAMES);
  const last: [string, string] = female ? [`${lastRu}а`, `${lastEn}a`] : [lastRu, lastEn];
  // Some members write their name in Latin letters on their profile.
  const display = style < 0.25 ? `${capital(firstEn)} ${capital(last[1])}` : `${firstRu} ${last[0]}`;
  return { display, first: firstEn, last: last[1] };
}

/** A forum username in one of the shapes people choose, made unique against `taken`. */
export function username(rng: Rng, name: PersonName, taken: Set<string>): string {
  const { first, last } = name;
  const shapes = [
    `${first}.${last}`,
    `${first}_${last}`,
    `${first[0]}${last}`,
    `${last}.${first}`,
    `${first}${last[0]}${rng.int(70, 99)}`,
    `${first}${rng.int(1, 999)}`,
  ];
  let candidate = rng.pick(shapes);
  while (taken.has(candidate)) candidate = `${rng.pick(shapes)}${rng.int(1, 99)}`;
  taken.add(candidate);
  return candidate;
}

/** A random number as text, unique against `taken` (course-platform and Telegram user ids). */
export function numericId(rng: Rng, min: number, max: number, taken: Set<string>): string {
  let candidate = String(rng.int(min, max));
  while (taken.has(candidate)) candidate = String(rng.int(min, max));
  taken.add(candidate);
  return candidate;
}

export const CITIES = ['Москва', 'Санкт-Петербург', 'Новосибирск', 'Екатеринбург', 'Казань', 'Нижний Новгород', 'Алматы', 'Тбилиси', 'Белград', 'Ереван'];

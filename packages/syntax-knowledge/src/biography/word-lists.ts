import { readFileSync } from 'node:fs';

/**
 * The fixed word lists of the biography instance, shipped in `lists/` (one entry per line, in a fixed shuffled
 * order so any prefix is a spread-out sample). First names, last names and cities were taken once from the
 * name and city tables of @faker-js/faker 10.6.0 (MIT; locales en, de, fr, es, it, nl, sv, nb_NO, da, fi, pl,
 * pt_PT, en_AU, en_IE, en_GB), keeping plain capitalised ASCII words; universities and employers are built
 * from those, majors are written by hand. They never change at run time: the lists in this folder are the data.
 */
const cache = new Map<string, readonly string[]>();

export function wordList(name: 'first-names' | 'last-names' | 'cities' | 'universities' | 'employers' | 'majors'): readonly string[] {
  let list = cache.get(name);
  if (!list) {
    const text = readFileSync(new URL(`./lists/${name}.txt`, import.meta.url), 'utf8');
    list = Object.freeze(text.split('\n').filter((line) => line.length > 0));
    cache.set(name, list);
  }
  return list;
}

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Dates "d Month yyyy", d = 1..28 (valid in every month), 1900–1999: entry i is day i mod 28, then month, then year. */
export function birthDates(): readonly string[] {
  let list = cache.get('birth-dates');
  if (!list) {
    const dates: string[] = [];
    for (let year = 1900; year < 2000; year++) {
      for (const month of months) for (let day = 1; day <= 28; day++) dates.push(`${day} ${month} ${year}`);
    }
    list = Object.freeze(dates);
    cache.set('birth-dates', list);
  }
  return list;
}

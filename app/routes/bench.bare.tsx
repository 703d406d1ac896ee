// The ceiling of the stack for `npm run bench:web`: a page with a heading and no loader of
// its own (the root loader still runs), so each page's throughput can be read as a ratio.
export default function BenchBare() {
  return <h1 className="mx-auto max-w-6xl px-4 py-8 text-2xl font-bold">SkillRelay</h1>;
}

// Package schedule reads the schedules of digests — a time of day, a
// frequency or a cron expression, in a time zone — and works out their
// slots, the instants at which a digest is due, with the rules for the
// days the clocks change. It is a leaf: it takes values, returns values and
// errors whose text is written for the person who typed the schedule, and
// imports nothing of briefbot.
package schedule

import (
	_ "embed"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Frequency is how often a digest is posted.
type Frequency string

const (
	Daily    Frequency = "daily"
	Weekdays Frequency = "weekdays" // Monday to Friday
	Weekly   Frequency = "weekly"
	Cron     Frequency = "cron" // at the slots of a cron expression
)

// Spec is a schedule as a person gives it and as a store keeps it. Parse
// checks it; Schedule.Spec gives back its canonical form, which parses to
// the same schedule whenever it is parsed again.
type Spec struct {
	// Frequency is daily, weekdays, weekly or cron. Empty means cron if
	// Cron is set and daily otherwise.
	Frequency Frequency
	// Time is the local time of day, "HH:MM" in 24-hour form. Required
	// unless the frequency is cron.
	Time string
	// Weekday is the day of a weekly digest: "monday", "mon", … Empty
	// means the weekday it is now in TimeZone.
	Weekday string
	// TimeZone is an IANA time zone name such as Europe/Madrid. Empty
	// means UTC.
	TimeZone string
	// Cron is a five-field cron expression (minute hour day-of-month month
	// day-of-week), read in TimeZone. Only with frequency cron.
	Cron string
}

// Schedule is when a digest is due: a set of slots, instants at which one
// digest is posted. Build it with Parse; the zero Schedule has no slots.
//
// Every frequency is a set of local wall-clock times on the days it
// matches, read in the schedule's time zone. Two rules settle the days
// when the clocks change:
//
//   - A local time that does not exist that day (the clocks spring forward
//     over it) is posted at the first instant after the gap: a digest at
//     02:30 in Europe/Madrid on the last Sunday of March is posted at
//     03:00 CEST. Several local times in one gap make one slot.
//   - A local time that happens twice (the clocks fall back over it) is
//     posted once, at its first occurrence: 02:30 in Europe/Madrid on the
//     last Sunday of October is posted at 02:30 CEST, not again at 02:30 CET.
type Schedule struct {
	spec Spec
	loc  *time.Location
	// cron is the schedule as robfig/cron parsed it: every frequency is
	// a cron expression. Its minute and hour bit sets give the times of a
	// day; which days have slots is left to cron's own rule, through days.
	cron *cron.SpecSchedule
	// days is cron with one slot a day, at midnight UTC: its Next is the
	// next civil date with slots, however day-of-month and day-of-week
	// combine.
	days *cron.SpecSchedule
}

// searchDays is how many days in a row may pass without a slot before
// Next gives up: enough for a cron expression of 29 February alone.
const searchDays = 8*366 + 1

// Parse checks spec and returns the schedule it describes. now picks the
// weekday of a weekly schedule that names none. An error's text says what
// the person who gave spec should change; it starts in lower case and ends
// without a full stop, to go into a sentence.
func Parse(spec Spec, now time.Time) (Schedule, error) {
	loc, err := LoadTimeZone(spec.TimeZone)
	if err != nil {
		return Schedule{}, err
	}
	freq := Frequency(strings.ToLower(strings.TrimSpace(string(spec.Frequency))))
	expr := strings.Join(strings.Fields(spec.Cron), " ")
	clock := strings.TrimSpace(spec.Time)
	weekday := strings.TrimSpace(spec.Weekday)
	if freq == "" {
		freq = Daily
		if expr != "" {
			freq = Cron
		}
	}
	s := Schedule{loc: loc, spec: Spec{Frequency: freq, TimeZone: loc.String()}}

	// Every frequency becomes a cron expression: minute hour day-of-month
	// month day-of-week.
	var minute, hour int
	switch freq {
	case Daily, Weekdays, Weekly:
		if expr != "" {
			return Schedule{}, fmt.Errorf("a cron expression goes with frequency cron, not %s", freq)
		}
		var ok bool
		if hour, minute, ok = parseClock(clock); !ok {
			if clock == "" {
				return Schedule{}, errors.New("time is required: HH:MM in 24-hour form, e.g. 08:30")
			}
			return Schedule{}, fmt.Errorf("time must be HH:MM in 24-hour form, e.g. 08:30 (got %q)", clock)
		}
		s.spec.Time = fmt.Sprintf("%02d:%02d", hour, minute)
	case Cron:
		if clock != "" {
			return Schedule{}, errors.New("give either a cron expression or a time, not both: the cron expression sets the time")
		}
		if err := checkCron(expr); err != nil {
			return Schedule{}, err
		}
		if err := s.parseCron(expr); err != nil {
			return Schedule{}, err
		}
		s.spec.Cron = expr
	default:
		return Schedule{}, fmt.Errorf("frequency must be daily, weekdays, weekly or cron (got %q)", spec.Frequency)
	}

	switch {
	case freq == Weekdays:
		expr = fmt.Sprintf("%d %d * * 1-5", minute, hour)
	case freq == Weekly:
		wd := now.In(loc).Weekday()
		if weekday != "" {
			var ok bool
			if wd, ok = parseWeekday(weekday); !ok {
				return Schedule{}, fmt.Errorf("weekday must be a day of the week such as monday or mon (got %q)", weekday)
			}
		}
		expr = fmt.Sprintf("%d %d * * %d", minute, hour, wd)
		s.spec.Weekday = strings.ToLower(wd.String())
	case weekday != "":
		return Schedule{}, errors.New("a weekday goes with frequency weekly only")
	case freq == Daily:
		expr = fmt.Sprintf("%d %d * * *", minute, hour)
	}
	if s.cron == nil {
		if err := s.parseCron(expr); err != nil {
			return Schedule{}, err
		}
	}
	if s.Next(now).IsZero() {
		return Schedule{}, fmt.Errorf("cron expression %q never comes: no date matches it", s.spec.Cron)
	}
	return s, nil
}

const cronHelp = "five fields: minute hour day-of-month month day-of-week"

// checkCron refuses what a person may not give as a cron expression.
func checkCron(expr string) error {
	if expr == "" {
		return fmt.Errorf("frequency cron needs a cron expression; %s, e.g. 30 8 * * 1-5", cronHelp)
	}
	if strings.HasPrefix(expr, "TZ=") || strings.HasPrefix(expr, "CRON_TZ=") {
		return fmt.Errorf("cron expression %q: give the time zone in the timezone option, not in the expression", expr)
	}
	return nil
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// parseCron sets s to the slots of a five-field cron expression.
func (s *Schedule) parseCron(expr string) error {
	parsed, err := cronParser.Parse(expr)
	if err != nil {
		return fmt.Errorf("cron expression %q: %w; %s", expr, err, cronHelp)
	}
	spec, ok := parsed.(*cron.SpecSchedule)
	if !ok {
		return fmt.Errorf("cron expression %q: @every is not supported; %s", expr, cronHelp)
	}
	days := *spec
	days.Second, days.Minute, days.Hour, days.Location = 1, 1, 1, time.UTC
	s.cron, s.days = spec, &days
	return nil
}

func parseClock(s string) (h, m int, ok bool) {
	hh, mm, found := strings.Cut(s, ":")
	if !found || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || hh[0] == '+' || hh[0] == '-' {
		return 0, 0, false
	}
	return h, m, true
}

func parseWeekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(s)
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if s == name || s == name[:3] {
			return d, true
		}
	}
	return 0, false
}

// Spec returns the schedule's canonical spec: frequency, time, weekday and
// cron expression spelled out, and the time zone by its IANA name.
func (s Schedule) Spec() Spec { return s.spec }

// Frequency returns how often the schedule comes.
func (s Schedule) Frequency() Frequency { return s.spec.Frequency }

// Location returns the time zone the schedule is read in.
func (s Schedule) Location() *time.Location {
	if s.loc == nil {
		return time.UTC
	}
	return s.loc
}

// IsZero reports whether s is the zero Schedule, which has no slots.
func (s Schedule) IsZero() bool { return s.loc == nil }

// Equal reports whether s and o are the same schedule.
func (s Schedule) Equal(o Schedule) bool { return s.spec == o.spec }

// String describes the schedule for a person, e.g. "daily at 08:30
// Europe/Madrid" or "weekly on Monday at 08:30 UTC".
func (s Schedule) String() string {
	zone := s.spec.TimeZone
	switch s.spec.Frequency {
	case Daily:
		return fmt.Sprintf("daily at %s %s", s.spec.Time, zone)
	case Weekdays:
		return fmt.Sprintf("weekdays at %s %s", s.spec.Time, zone)
	case Weekly:
		wd, _ := parseWeekday(s.spec.Weekday)
		return fmt.Sprintf("weekly on %s at %s %s", wd, s.spec.Time, zone)
	case Cron:
		return fmt.Sprintf("cron %q %s", s.spec.Cron, zone)
	}
	return "never"
}

// Next returns the first slot strictly after t, in the schedule's time
// zone, or the zero time if there is none.
func (s Schedule) Next(t time.Time) time.Time {
	for slot := range s.Slots(t) {
		return slot
	}
	return time.Time{}
}

// Slots yields the slots strictly after t in order, in the schedule's time
// zone. The sequence ends only if no slot comes for years.
func (s Schedule) Slots(t time.Time) iter.Seq[time.Time] {
	return func(yield func(time.Time) bool) {
		if s.loc == nil {
			return
		}
		// Start a day early: a slot of the day before can only move later
		// (out of a gap), never earlier, so it is never missed this way.
		day := civilDate(t.In(s.loc)).AddDate(0, 0, -1)
		last := t
		var buf []time.Time
		for {
			if day = s.nextDay(day); day.IsZero() {
				return
			}
			buf = s.appendDay(buf[:0], day)
			for _, slot := range buf {
				if slot.After(last) {
					if !yield(slot) {
						return
					}
					last = slot
				}
			}
			day = day.AddDate(0, 0, 1)
		}
	}
}

// nextDay returns the first civil date at or after day (a UTC midnight)
// that has slots, or the zero time if searchDays pass without one. cron's
// Next looks five years ahead at most, so the search goes on from there.
func (s *Schedule) nextDay(day time.Time) time.Time {
	limit := day.AddDate(0, 0, searchDays)
	for from := day; from.Before(limit); from = from.AddDate(5, 0, 0) {
		if d := s.days.Next(from.Add(-time.Second)); !d.IsZero() {
			if !d.Before(limit) {
				break
			}
			return d
		}
	}
	return time.Time{}
}

// Prev returns the latest slot at or before t, in the schedule's time zone,
// or the zero time if there is none in the years before t. It looks back
// over ever longer spans, so that a sparse schedule costs no more than a
// dense one.
func (s Schedule) Prev(t time.Time) time.Time {
	if s.loc == nil {
		return time.Time{}
	}
	for span := 1; ; span = min(4*span, searchDays) {
		var last time.Time
		for slot := range s.Slots(t.AddDate(0, 0, -span)) {
			if slot.After(t) {
				break
			}
			last = slot
		}
		if !last.IsZero() || span == searchDays {
			return last
		}
	}
}

// MinInterval returns the shortest time between two consecutive slots
// that fall in the horizon after from, or 0 if fewer than two do.
func (s Schedule) MinInterval(from time.Time, horizon time.Duration) time.Duration {
	gap, _, _ := s.shortestGap(from, from.Add(horizon), 0)
	return gap
}

// IntervalHorizon is how far ahead CheckInterval looks: a year covers every
// day a schedule treats differently, the clock changes included.
const IntervalHorizon = 366 * 24 * time.Hour

// CheckInterval returns an error if two consecutive slots in the year
// after now are closer than min, saying which. A min of zero or less
// allows everything.
func (s Schedule) CheckInterval(now time.Time, min time.Duration) error {
	if min <= 0 {
		return nil
	}
	gap, a, b := s.shortestGap(now, now.Add(IntervalHorizon), min)
	if gap == 0 || gap >= min {
		return nil
	}
	return fmt.Errorf("%s posts %s apart at its closest (%s and %s); digests may come at most once every %s",
		s, HumanDuration(gap), a.Format("Mon 2 Jan 15:04"), b.Format("15:04 MST"), HumanDuration(min))
}

// shortestGap returns the shortest gap between consecutive slots in
// (from, until] and the slots around it, stopping at the first gap shorter
// than floor.
func (s Schedule) shortestGap(from, until time.Time, floor time.Duration) (gap time.Duration, a, b time.Time) {
	var prev time.Time
	for slot := range s.Slots(from) {
		if slot.After(until) {
			break
		}
		if !prev.IsZero() {
			if d := slot.Sub(prev); gap == 0 || d < gap {
				gap, a, b = d, prev, slot
				if gap < floor {
					break
				}
			}
		}
		prev = slot
	}
	return gap, a, b
}

// appendDay appends the slots of the civil date day (a UTC midnight, one
// that has slots) to dst, in order and without repeats.
func (s *Schedule) appendDay(dst []time.Time, day time.Time) []time.Time {
	y, mo, d := day.Date()
	n := len(dst)
	for h := range 24 {
		if s.cron.Hour&(1<<uint(h)) == 0 {
			continue
		}
		for m := range 60 {
			if s.cron.Minute&(1<<uint(m)) == 0 {
				continue
			}
			t := resolveLocal(y, mo, d, h, m, s.loc)
			if len(dst) > n && !t.After(dst[len(dst)-1]) {
				continue // several local times in one gap
			}
			dst = append(dst, t)
		}
	}
	return dst
}

// civilDate returns t's date, as a midnight in UTC.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// wallClock returns t's local date and time as the same reading in UTC, so
// that two readings compare as a person would compare them.
func wallClock(t time.Time) time.Time {
	y, mo, d := t.Date()
	h, m, sec := t.Clock()
	return time.Date(y, mo, d, h, m, sec, t.Nanosecond(), time.UTC)
}

// resolveLocal returns the instant at which the local time y-mo-d h:m in
// loc is posted, by the rules documented on Schedule: the first occurrence
// of a repeated time, the end of the gap for a skipped one. time.Date
// leaves both cases unspecified, so they are worked out here.
func resolveLocal(y int, mo time.Month, d, h, m int, loc *time.Location) time.Time {
	guess := time.Date(y, mo, d, h, m, 0, 0, loc)
	want := time.Date(y, mo, d, h, m, 0, 0, time.UTC)
	// The offsets that can be in force near the wall time: the one Go
	// picked, and those of the zone periods just before and after it.
	probes := []time.Time{guess}
	if start, end := guess.ZoneBounds(); !start.IsZero() || !end.IsZero() {
		if !start.IsZero() {
			probes = append(probes, start.Add(-time.Second))
		}
		if !end.IsZero() {
			probes = append(probes, end)
		}
	}
	var best time.Time
	for _, p := range probes {
		_, off := p.Zone()
		c := want.Add(-time.Duration(off) * time.Second).In(loc)
		if wallClock(c).Equal(want) && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	if !best.IsZero() {
		return best
	}
	// The wall time falls in a gap: post at the transition that made it,
	// the first instant whose wall time is past it.
	var gapEnd time.Time
	for _, p := range probes {
		_, off := p.Zone()
		c := want.Add(-time.Duration(off) * time.Second).In(loc)
		for _, start := range []time.Time{zoneStart(c), zoneStart(p)} {
			if start.IsZero() {
				continue
			}
			before, after := wallClock(start.Add(-time.Nanosecond).In(loc)), wallClock(start.In(loc))
			if before.Before(want) && after.After(want) && (gapEnd.IsZero() || start.Before(gapEnd)) {
				gapEnd = start.In(loc)
			}
		}
	}
	if gapEnd.IsZero() {
		return guess // not reached with real zone data
	}
	return gapEnd
}

func zoneStart(t time.Time) time.Time {
	start, _ := t.ZoneBounds()
	return start
}

// HumanDuration spells d out for a person: "1 hour", "1 hour 30 minutes",
// "2 days", "45 seconds".
func HumanDuration(d time.Duration) string {
	if d < 0 {
		return "-" + HumanDuration(-d)
	}
	if d < time.Minute {
		return plural(int64(d/time.Second), "second")
	}
	var parts []string
	days, rest := d/(24*time.Hour), d%(24*time.Hour)
	hours, rest := rest/time.Hour, rest%time.Hour
	minutes := rest / time.Minute
	if days > 0 {
		parts = append(parts, plural(int64(days), "day"))
	}
	if hours > 0 {
		parts = append(parts, plural(int64(hours), "hour"))
	}
	if minutes > 0 {
		parts = append(parts, plural(int64(minutes), "minute"))
	}
	return strings.Join(parts, " ")
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.FormatInt(n, 10) + " " + unit + "s"
}

// timeZoneNames is the list of IANA names that SuggestTimeZones draws on,
// embedded so that it works on a machine without /usr/share/zoneinfo.
// (Loading a zone there needs the time/tzdata package, which cmd imports.)
//
//go:embed timezones.txt
var timeZoneNames string

// popularTimeZones are offered when the person has typed nothing yet.
var popularTimeZones = [...]string{
	"UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome",
	"Europe/Amsterdam", "Europe/Warsaw", "Europe/Istanbul", "Europe/Moscow", "America/New_York",
	"America/Chicago", "America/Denver", "America/Los_Angeles", "America/Toronto",
	"America/Mexico_City", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "Africa/Lagos",
	"Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo",
	"Australia/Sydney",
}

// TimeZones returns the IANA time zone names that SuggestTimeZones knows,
// sorted.
func TimeZones() []string {
	var names []string
	for line := range strings.Lines(timeZoneNames) {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, line)
		}
	}
	return names
}

// SuggestTimeZones returns up to limit IANA time zone names for what a
// person has typed so far, best first: names that start with it, then
// names with a part that starts with it ("new y" finds America/New_York),
// then names that contain it. Case, spaces and underscores do not matter.
// With nothing typed it returns common zones.
func SuggestTimeZones(typed string, limit int) []string {
	q := normalizeZone(typed)
	if q == "" {
		return slices.Clone(popularTimeZones[:min(limit, len(popularTimeZones))])
	}
	var ranked [3][]string
	for _, name := range TimeZones() {
		n := normalizeZone(name)
		switch {
		case strings.HasPrefix(n, q):
			ranked[0] = append(ranked[0], name)
		case strings.Contains(n, "/"+q) || strings.Contains(n, "_"+q):
			ranked[1] = append(ranked[1], name)
		case strings.Contains(n, q):
			ranked[2] = append(ranked[2], name)
		}
	}
	out := slices.Concat(ranked[:]...)
	return out[:min(limit, len(out))]
}

func normalizeZone(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "_"))
}

// LoadTimeZone returns the location of an IANA time zone name, forgiving
// case and spaces for the names TimeZones lists ("europe/paris",
// "America/New York"). Empty means UTC. The error for an unknown name
// suggests the closest known one.
func LoadTimeZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return time.UTC, nil
	}
	want := normalizeZone(name)
	known := TimeZones()
	for _, k := range known {
		if normalizeZone(k) == want {
			if loc, err := time.LoadLocation(k); err == nil {
				return loc, nil
			}
		}
	}
	if name != "Local" {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, nil
		}
	}
	best, bestDist := "", 4 // suggest only names a few typos away
	for _, k := range known {
		n := normalizeZone(k)
		d := editDistance(want, n)
		if i := strings.LastIndex(n, "/"); i >= 0 && !strings.Contains(want, "/") {
			d = min(d, editDistance(want, n[i+1:]))
		}
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return nil, fmt.Errorf("unknown time zone %q: did you mean %s? Use an IANA name such as Europe/Paris", name, best)
	}
	return nil, fmt.Errorf("unknown time zone %q: use an IANA name such as Europe/Paris", name)
}

// Cache parses the specs that a store reads back, remembering each result:
// Parse loads the time zone from the tz database every time, which is slow
// next to reading a row. Its zero value is ready to use; it is safe for
// concurrent use.
type Cache struct {
	mu sync.Mutex
	m  map[Spec]Schedule
}

// cacheSize bounds a Cache; when full it starts afresh.
const cacheSize = 4096

// Parse returns Parse(spec, time.Time{}) for a canonical spec (as
// Schedule.Spec gives it, so that no default depends on the time).
func (c *Cache) Parse(spec Spec) (Schedule, error) {
	c.mu.Lock()
	s, ok := c.m[spec]
	c.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := Parse(spec, time.Time{})
	if err != nil {
		return Schedule{}, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= cacheSize {
		c.m = make(map[Spec]Schedule)
	}
	c.m[spec] = s
	c.mu.Unlock()
	return s, nil
}

// editDistance is the Levenshtein distance between a and b, by bytes: the
// names it compares are ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

package schedule_test

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo

	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/google/go-cmp/cmp"
)

// maxChoices is how many choices Discord shows an autocomplete, the most
// /digest asks SuggestTimeZones for.
const maxChoices = 25

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustSchedule(t *testing.T, spec schedule.Spec, now time.Time) schedule.Schedule {
	t.Helper()
	s, err := schedule.Parse(spec, now)
	if err != nil {
		t.Fatalf("Parse(%+v): %v", spec, err)
	}
	return s
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// A Wednesday.
var wednesday = utc("2026-03-04 12:00")

func TestParseScheduleErrors(t *testing.T) {
	tests := []struct {
		name string
		spec schedule.Spec
		want string // a part of the message
	}{
		{"no time", schedule.Spec{}, "time is required: HH:MM in 24-hour form, e.g. 08:30"},
		{"bad time", schedule.Spec{Time: "8.30"}, "time must be HH:MM in 24-hour form, e.g. 08:30"},
		{"am/pm", schedule.Spec{Time: "08:30pm"}, "time must be HH:MM"},
		{"hour 24", schedule.Spec{Time: "24:00"}, "time must be HH:MM"},
		{"minute 60", schedule.Spec{Time: "08:60"}, "time must be HH:MM"},
		{"one minute digit", schedule.Spec{Time: "08:5"}, "time must be HH:MM"},
		{"sign", schedule.Spec{Time: "+8:30"}, "time must be HH:MM"},
		{"typo zone", schedule.Spec{Time: "08:30", TimeZone: "Europe/Pariss"},
			`unknown time zone "Europe/Pariss": did you mean Europe/Paris? Use an IANA name such as Europe/Paris`},
		{"unknown zone", schedule.Spec{Time: "08:30", TimeZone: "Mars/Olympus_Mons"},
			`unknown time zone "Mars/Olympus_Mons": use an IANA name such as Europe/Paris`},
		{"Local", schedule.Spec{Time: "08:30", TimeZone: "Local"}, `unknown time zone "Local"`},
		{"frequency", schedule.Spec{Frequency: "hourly", Time: "08:30"}, "frequency must be daily, weekdays, weekly or cron"},
		{"bad cron", schedule.Spec{Cron: "0 25 * * *"},
			`cron expression "0 25 * * *": end of range (25) above maximum (23): 25; five fields: minute hour day-of-month month day-of-week`},
		{"six fields", schedule.Spec{Cron: "0 0 8 * * *"}, "expected exactly 5 fields, found 6"},
		{"cron needs expression", schedule.Spec{Frequency: schedule.Cron}, "frequency cron needs a cron expression"},
		{"@every", schedule.Spec{Cron: "@every 1h"}, "@every is not supported"},
		{"zone in cron", schedule.Spec{Cron: "CRON_TZ=Europe/Paris 0 8 * * *"}, "give the time zone in the timezone option"},
		{"zone in cron, no fields", schedule.Spec{Cron: "TZ=Europe/Paris"}, "give the time zone in the timezone option"},
		{"cron and time", schedule.Spec{Cron: "0 8 * * *", Time: "08:00"}, "either a cron expression or a time"},
		{"cron with daily", schedule.Spec{Frequency: schedule.Daily, Cron: "0 8 * * *", Time: "08:00"}, "goes with frequency cron"},
		{"never", schedule.Spec{Cron: "0 8 30 2 *"}, "never comes"},
		{"weekday with daily", schedule.Spec{Time: "08:00", Weekday: "monday"}, "weekday goes with frequency weekly"},
		{"bad weekday", schedule.Spec{Frequency: schedule.Weekly, Time: "08:00", Weekday: "moonday"}, "weekday must be a day of the week"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := schedule.Parse(tt.spec, wednesday)
			if err == nil {
				t.Fatalf("Parse(%+v) = nil error, want %q", tt.spec, tt.want)
			}
			if got := err.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("message = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestParseScheduleCanonical(t *testing.T) {
	tests := []struct {
		spec     schedule.Spec
		want     schedule.Spec
		describe string
	}{
		{schedule.Spec{Time: "8:30", TimeZone: "europe/madrid"},
			schedule.Spec{Frequency: "daily", Time: "08:30", TimeZone: "Europe/Madrid"},
			"daily at 08:30 Europe/Madrid"},
		{schedule.Spec{Frequency: " Weekdays ", Time: "18:05"},
			schedule.Spec{Frequency: "weekdays", Time: "18:05", TimeZone: "UTC"},
			"weekdays at 18:05 UTC"},
		{schedule.Spec{Frequency: "weekly", Time: "07:00", TimeZone: "America/New York"},
			schedule.Spec{Frequency: "weekly", Time: "07:00", Weekday: "wednesday", TimeZone: "America/New_York"},
			"weekly on Wednesday at 07:00 America/New_York"},
		{schedule.Spec{Frequency: "weekly", Time: "07:00", Weekday: "SAT"},
			schedule.Spec{Frequency: "weekly", Time: "07:00", Weekday: "saturday", TimeZone: "UTC"},
			"weekly on Saturday at 07:00 UTC"},
		{schedule.Spec{Cron: "  30 8\t* * 1-5 ", TimeZone: "Asia/Tokyo"},
			schedule.Spec{Frequency: "cron", Cron: "30 8 * * 1-5", TimeZone: "Asia/Tokyo"},
			`cron "30 8 * * 1-5" Asia/Tokyo`},
		{schedule.Spec{Cron: "@daily"},
			schedule.Spec{Frequency: "cron", Cron: "@daily", TimeZone: "UTC"},
			`cron "@daily" UTC`},
	}
	for _, tt := range tests {
		s := mustSchedule(t, tt.spec, wednesday)
		if diff := cmp.Diff(tt.want, s.Spec()); diff != "" {
			t.Errorf("Parse(%+v).Spec() (-want +got):\n%s", tt.spec, diff)
		}
		if got := s.String(); got != tt.describe {
			t.Errorf("String() = %q, want %q", got, tt.describe)
		}
		// The canonical spec parses to the same schedule, whenever.
		again := mustSchedule(t, s.Spec(), wednesday.AddDate(0, 0, 3))
		if !again.Equal(s) {
			t.Errorf("reparsed %+v to %+v", s.Spec(), again.Spec())
		}
	}
}

func TestNext(t *testing.T) {
	madrid := mustLoad(t, "Europe/Madrid")
	tokyo := mustLoad(t, "Asia/Tokyo")
	tests := []struct {
		name  string
		spec  schedule.Spec
		after time.Time
		want  []time.Time // the next slots, in UTC
	}{
		{"daily, Madrid in winter", schedule.Spec{Time: "08:30", TimeZone: "Europe/Madrid"}, utc("2026-01-10 07:30"),
			[]time.Time{utc("2026-01-11 07:30"), utc("2026-01-12 07:30")}},
		{"daily, just before", schedule.Spec{Time: "08:30", TimeZone: "Europe/Madrid"}, utc("2026-01-10 07:29"),
			[]time.Time{utc("2026-01-10 07:30"), utc("2026-01-11 07:30")}},
		{"daily, Madrid in summer", schedule.Spec{Time: "08:30", TimeZone: "Europe/Madrid"}, utc("2026-07-01 00:00"),
			[]time.Time{utc("2026-07-01 06:30")}},
		{"daily, Tokyo is a day ahead", schedule.Spec{Time: "07:00", TimeZone: "Asia/Tokyo"}, utc("2026-01-10 21:00"),
			[]time.Time{utc("2026-01-10 22:00"), utc("2026-01-11 22:00")}},
		{"daily, Los Angeles is a day behind", schedule.Spec{Time: "20:00", TimeZone: "America/Los_Angeles"}, utc("2026-01-10 03:00"),
			[]time.Time{utc("2026-01-10 04:00")}},
		{"weekdays skip the weekend", schedule.Spec{Frequency: "weekdays", Time: "09:00"}, utc("2026-03-06 09:00"), // a Friday
			[]time.Time{utc("2026-03-09 09:00"), utc("2026-03-10 09:00")}},
		{"weekdays in Tokyo: Monday 07:00 is Sunday in UTC", schedule.Spec{Frequency: "weekdays", Time: "07:00", TimeZone: "Asia/Tokyo"}, utc("2026-03-06 23:00"),
			[]time.Time{utc("2026-03-08 22:00"), utc("2026-03-09 22:00")}},
		{"weekly on the weekday of creation", schedule.Spec{Frequency: "weekly", Time: "12:00"}, wednesday,
			[]time.Time{utc("2026-03-11 12:00"), utc("2026-03-18 12:00")}},
		{"weekly on Monday", schedule.Spec{Frequency: "weekly", Time: "06:00", Weekday: "mon"}, wednesday,
			[]time.Time{utc("2026-03-09 06:00"), utc("2026-03-16 06:00")}},
		{"cron, every 15 minutes in the morning on weekdays", schedule.Spec{Cron: "*/15 9 * * 1-5", TimeZone: "Asia/Tokyo"}, time.Date(2026, 3, 6, 9, 40, 0, 0, tokyo),
			[]time.Time{utc("2026-03-06 00:45"), utc("2026-03-09 00:00"), utc("2026-03-09 00:15")}},
		{"cron, day of month or day of week", schedule.Spec{Cron: "0 12 1 * 1"}, utc("2026-03-28 00:00"),
			[]time.Time{utc("2026-03-30 12:00"), utc("2026-04-01 12:00"), utc("2026-04-06 12:00")}},
		{"cron, 29 February", schedule.Spec{Cron: "0 0 29 2 *"}, utc("2026-03-01 00:00"),
			[]time.Time{utc("2028-02-29 00:00"), utc("2032-02-29 00:00")}},
		{"cron in Madrid", schedule.Spec{Cron: "0 8 * * *", TimeZone: "Europe/Madrid"}, time.Date(2026, 1, 1, 9, 0, 0, 0, madrid),
			[]time.Time{utc("2026-01-02 07:00")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSchedule(t, tt.spec, wednesday)
			got := firstSlots(s, tt.after, len(tt.want))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("slots after %v (-want +got):\n%s", tt.after, diff)
			}
			if got := s.Next(tt.after); !got.Equal(tt.want[0]) {
				t.Errorf("Next(%v) = %v, want %v", tt.after, got, tt.want[0])
			}
			if loc := s.Next(tt.after).Location(); loc != s.Location() {
				t.Errorf("Next is in %v, want %v", loc, s.Location())
			}
		})
	}
}

// The clocks change in Europe/Madrid at 02:00 CET on 29 March 2026 (to
// 03:00 CEST) and at 03:00 CEST on 25 October 2026 (back to 02:00 CET); in
// America/New_York at 02:00 EST on 8 March 2026 and at 02:00 EDT on
// 1 November 2026.
func TestNextAcrossClockChanges(t *testing.T) {
	tests := []struct {
		name  string
		spec  schedule.Spec
		after time.Time
		want  []time.Time
	}{
		{"Madrid spring: a skipped time is posted when the gap ends", schedule.Spec{Time: "02:30", TimeZone: "Europe/Madrid"}, utc("2026-03-27 12:00"),
			[]time.Time{utc("2026-03-28 01:30"), utc("2026-03-29 01:00"), utc("2026-03-30 00:30")}},
		{"Madrid spring: a time right before the gap", schedule.Spec{Time: "01:59", TimeZone: "Europe/Madrid"}, utc("2026-03-28 12:00"),
			[]time.Time{utc("2026-03-29 00:59"), utc("2026-03-29 23:59")}},
		{"Madrid spring: the first time after the gap", schedule.Spec{Time: "03:00", TimeZone: "Europe/Madrid"}, utc("2026-03-28 12:00"),
			[]time.Time{utc("2026-03-29 01:00"), utc("2026-03-30 01:00")}},
		{"Madrid autumn: a repeated time is posted once, the first time", schedule.Spec{Time: "02:30", TimeZone: "Europe/Madrid"}, utc("2026-10-24 12:00"),
			[]time.Time{utc("2026-10-25 00:30"), utc("2026-10-26 01:30")}},
		{"Madrid autumn: hourly skips the repeated hour", schedule.Spec{Cron: "0 * * * *", TimeZone: "Europe/Madrid"}, utc("2026-10-24 22:30"),
			[]time.Time{utc("2026-10-24 23:00"), utc("2026-10-25 00:00"), utc("2026-10-25 02:00"), utc("2026-10-25 03:00")}},
		{"Madrid spring: hourly has one slot for the lost hour", schedule.Spec{Cron: "0 * * * *", TimeZone: "Europe/Madrid"}, utc("2026-03-28 23:30"),
			[]time.Time{utc("2026-03-29 00:00"), utc("2026-03-29 01:00"), utc("2026-03-29 02:00")}},
		{"New York spring: two times in one gap make one slot", schedule.Spec{Cron: "0,30 2 * * *", TimeZone: "America/New_York"}, utc("2026-03-07 12:00"),
			[]time.Time{utc("2026-03-08 07:00"), utc("2026-03-09 06:00"), utc("2026-03-09 06:30")}},
		{"New York autumn: 01:30 is posted at 01:30 EDT only", schedule.Spec{Frequency: "weekly", Weekday: "sunday", Time: "01:30", TimeZone: "America/New_York"}, utc("2026-10-31 12:00"),
			[]time.Time{utc("2026-11-01 05:30"), utc("2026-11-08 06:30")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustSchedule(t, tt.spec, wednesday)
			got := firstSlots(s, tt.after, len(tt.want))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("slots after %v (-want +got):\n%s", tt.after, diff)
			}
		})
	}
}

// Prev and Next agree everywhere: around every clock change of 2026 in
// several zones, for several kinds of schedule, at every quarter hour.
func TestPrevAgreesWithNext(t *testing.T) {
	specs := []schedule.Spec{
		{Time: "02:30"},
		{Time: "00:15"},
		{Frequency: "weekdays", Time: "01:00"},
		{Frequency: "weekly", Weekday: "sunday", Time: "02:00"},
		{Cron: "*/20 * * * *"},
		{Cron: "0 1-3 * * *"},
		{Cron: "45 23 * * *"},
	}
	zones := []string{"UTC", "Europe/Madrid", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata"}
	for _, zone := range zones {
		loc := mustLoad(t, zone)
		// The days around each clock change of 2026 in this zone.
		var around []time.Time
		for t0 := utc("2026-01-01 00:00"); t0.Year() == 2026; {
			_, end := t0.In(loc).ZoneBounds()
			if end.IsZero() || end.Year() != 2026 {
				break
			}
			around = append(around, end)
			t0 = end
		}
		if len(around) == 0 {
			around = []time.Time{utc("2026-06-01 00:00")}
		}
		for _, spec := range specs {
			spec.TimeZone = zone
			s := mustSchedule(t, spec, wednesday)
			for _, change := range around {
				for at := change.Add(-30 * time.Hour); at.Before(change.Add(30 * time.Hour)); at = at.Add(15 * time.Minute) {
					prev, next := s.Prev(at), s.Next(at)
					if prev.After(at) || !next.After(at) {
						t.Fatalf("%s: Prev(%v) = %v, Next = %v", s, at, prev, next)
					}
					if got := s.Next(prev); !got.Equal(next) {
						t.Fatalf("%s: Next(Prev(%v)) = %v, want Next(at) = %v", s, at, got, next)
					}
					if got := s.Prev(next); !got.Equal(next) {
						t.Fatalf("%s: Prev(Next(%v)) = %v, want %v", s, at, got, next)
					}
				}
			}
		}
	}
}

func TestPrev(t *testing.T) {
	s := mustSchedule(t, schedule.Spec{Frequency: "weekdays", Time: "08:00", TimeZone: "Europe/Madrid"}, wednesday)
	tests := []struct {
		at, want time.Time
	}{
		{utc("2026-03-04 07:00"), utc("2026-03-04 07:00")}, // exactly at a slot
		{utc("2026-03-04 06:59"), utc("2026-03-03 07:00")},
		{utc("2026-03-09 06:00"), utc("2026-03-06 07:00")}, // Monday before the slot: Friday's
	}
	for _, tt := range tests {
		if got := s.Prev(tt.at); !got.Equal(tt.want) {
			t.Errorf("Prev(%v) = %v, want %v", tt.at, got.UTC(), tt.want)
		}
	}
	if got := (schedule.Schedule{}).Prev(wednesday); !got.IsZero() {
		t.Errorf("zero Schedule's Prev = %v, want zero", got)
	}
	if got := (schedule.Schedule{}).Next(wednesday); !got.IsZero() {
		t.Errorf("zero Schedule's Next = %v, want zero", got)
	}
}

func TestCheckInterval(t *testing.T) {
	tests := []struct {
		spec    schedule.Spec
		min     time.Duration
		wantErr string
		gap     time.Duration // MinInterval over a year
	}{
		{schedule.Spec{Time: "08:30", TimeZone: "Europe/Madrid"}, time.Hour, "", 23 * time.Hour},
		{schedule.Spec{Frequency: "weekly", Time: "08:30"}, 24 * time.Hour, "", 7 * 24 * time.Hour},
		{schedule.Spec{Cron: "0 * * * *"}, time.Hour, "", time.Hour},
		{schedule.Spec{Cron: "*/30 * * * *"}, time.Hour,
			`cron "*/30 * * * *" UTC posts 30 minutes apart at its closest (Wed 4 Mar 12:30 and 13:00 UTC); digests may come at most once every 1 hour`,
			30 * time.Minute},
		{schedule.Spec{Cron: "* * * * *"}, 0, "", time.Minute},
		// Two hours apart, except on the day the clocks spring forward.
		{schedule.Spec{Cron: "0 1,3 * * *", TimeZone: "Europe/Madrid"}, 90 * time.Minute,
			`posts 1 hour apart at its closest (Sun 29 Mar 01:00 and 03:00 CEST)`, time.Hour},
	}
	for _, tt := range tests {
		s := mustSchedule(t, tt.spec, wednesday)
		err := s.CheckInterval(wednesday, tt.min)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: CheckInterval(%v) = %v, want nil", s, tt.min, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: CheckInterval(%v) = %v, want %q", s, tt.min, err, tt.wantErr)
		}
		if got := s.MinInterval(wednesday, schedule.IntervalHorizon); got != tt.gap {
			t.Errorf("%s: MinInterval = %v, want %v", s, got, tt.gap)
		}
	}
}

func TestSuggestTimeZones(t *testing.T) {
	tests := []struct {
		typed string
		limit int
		want  []string
	}{
		{"europe/ma", 25, []string{"Europe/Madrid", "Europe/Malta", "Europe/Mariehamn"}},
		{"new y", 25, []string{"America/New_York"}},
		{"PARIS", 25, []string{"Europe/Paris"}},
		{"buenos", 25, []string{"America/Argentina/Buenos_Aires"}},
		{"utc", 25, []string{"UTC"}},
		{"qqq", 25, nil},
		{"", 3, []string{"UTC", "Europe/London", "Europe/Paris"}},
	}
	for _, tt := range tests {
		got := schedule.SuggestTimeZones(tt.typed, tt.limit)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("SuggestTimeZones(%q) (-want +got):\n%s", tt.typed, diff)
		}
	}
	if got := schedule.SuggestTimeZones("a", maxChoices); len(got) != maxChoices {
		t.Errorf("SuggestTimeZones(a) gave %d names, want %d", len(got), maxChoices)
	}
	// Names that start with what was typed come first.
	if got := schedule.SuggestTimeZones("am", 2); got[0] != "America/Adak" {
		t.Errorf("SuggestTimeZones(am) = %v", got)
	}
	if got := schedule.SuggestTimeZones("", 30); len(got) != 25 {
		t.Errorf("SuggestTimeZones(\"\") gave %d names, want the 25 popular ones", len(got))
	}
}

func TestTimeZonesAllLoad(t *testing.T) {
	names := schedule.TimeZones()
	if len(names) < 400 {
		t.Fatalf("only %d time zones", len(names))
	}
	for _, name := range names {
		loc, err := schedule.LoadTimeZone(name)
		if err != nil {
			t.Errorf("LoadTimeZone(%q): %v", name, err)
			continue
		}
		if loc.String() != name {
			t.Errorf("LoadTimeZone(%q) is named %q", name, loc)
		}
	}
	for _, name := range schedule.SuggestTimeZones("", 25) {
		if _, err := schedule.LoadTimeZone(name); err != nil {
			t.Errorf("popular zone %q: %v", name, err)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{time.Hour, "1 hour"},
		{90 * time.Minute, "1 hour 30 minutes"},
		{48 * time.Hour, "2 days"},
		{45 * time.Second, "45 seconds"},
		{25*time.Hour + time.Minute, "1 day 1 hour 1 minute"},
	}
	for _, tt := range tests {
		if got := schedule.HumanDuration(tt.d); got != tt.want {
			t.Errorf("HumanDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// firstSlots returns, in UTC, the first n slots of s after t.
func firstSlots(s schedule.Schedule, t time.Time, n int) []time.Time {
	var got []time.Time
	for slot := range s.Slots(t) {
		got = append(got, slot.UTC())
		if len(got) == n {
			break
		}
	}
	return got
}

// Package reporttest helps test reports: an in-memory report.Store that
// shares a rewritetest.Cache, and the conformance suite every real store
// (the SQL stores) runs, so that the two cannot drift apart.
package reporttest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/report"
	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
	"github.com/google/go-cmp/cmp"
)

// Store is an in-memory report.Store over Cache, the rephrasings it drops.
type Store struct {
	*rewritetest.Cache

	mu      sync.Mutex
	reports []*report.Report
}

var _ report.Store = (*Store)(nil)

// NewStore returns an empty Store over a new cache.
func NewStore() *Store { return &Store{Cache: rewritetest.NewCache()} }

func sameText(a, b string) bool { return sha256.Sum256([]byte(a)) == sha256.Sum256([]byte(b)) }

// AddReport implements report.Store.
func (s *Store) AddReport(ctx context.Context, r report.Report, note string, at time.Time, dropAt int) (report.Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var got *report.Report
	for _, x := range s.reports {
		if x.Key == r.Key && sameText(x.Text, r.Text) {
			got = x
		}
	}
	if got == nil {
		r.ID, r.Count, r.Notes, r.First, r.Purged = int64(len(s.reports)+1), 0, nil, at, time.Time{}
		got = &r
		s.reports = append(s.reports, got)
	}
	got.Count++
	got.Last = at
	if note != "" {
		got.Notes = append(got.Notes, note)
	}
	if got.Count >= dropAt && got.Purged.IsZero() {
		s.Cache.Delete(got.Key)
		got.Purged = at
	}
	return copyReport(got), nil
}

// Reports implements report.Store.
func (s *Store) Reports(ctx context.Context) ([]report.Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []report.Report
	for _, r := range s.reports {
		out = append(out, copyReport(r))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Last.After(out[j].Last) })
	return out, nil
}

// PurgeReport implements report.Store.
func (s *Store) PurgeReport(ctx context.Context, id int64, at time.Time) (report.Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.reports {
		if r.ID == id {
			s.Cache.Delete(r.Key)
			if r.Purged.IsZero() {
				r.Purged = at
			}
			return copyReport(r), nil
		}
	}
	return report.Report{}, fmt.Errorf("report %d: %w", id, report.ErrNotFound)
}

func copyReport(r *report.Report) report.Report {
	c := *r
	c.Notes = append([]string(nil), r.Notes...)
	return c
}

// StoreAndCache is a report store and the rephrasing cache it drops from.
type StoreAndCache interface {
	report.Store
	rewrite.Cache
}

// Epoch is when the suite's reports are made.
var Epoch = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

// RunStoreTests is the conformance suite of report.Store. newStore returns
// a new, empty store, closed when the test ends.
func RunStoreTests(t *testing.T, newStore func(t *testing.T) StoreAndCache) {
	t.Run("CountsPerText", func(t *testing.T) {
		ctx := context.Background()
		s := newStore(t)
		r := report.Report{Key: "rephrase/v1/a/v1/energy/x/simple/-/m/p", ArticleID: "a", ArticleVersion: "v1", Section: "energy",
			Style: "simple", Model: "m", Text: "Russia wants to help. Под 1 млн баррелей."}
		first, err := s.AddReport(ctx, r, "", Epoch, 3)
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.AddReport(ctx, r, "the figure is wrong", Epoch.Add(time.Hour), 3)
		if err != nil {
			t.Fatal(err)
		}
		want := r
		want.ID, want.Count, want.Notes, want.First, want.Last = first.ID, 2, []string{"the figure is wrong"}, Epoch, Epoch.Add(time.Hour)
		if diff := cmp.Diff(want, second); diff != "" {
			t.Errorf("second report (-want +got):\n%s", diff)
		}
		other := r
		other.Text = "Another rephrasing."
		third, err := s.AddReport(ctx, other, "", Epoch.Add(2*time.Hour), 3)
		if err != nil {
			t.Fatal(err)
		}
		if third.ID == first.ID || third.Count != 1 {
			t.Errorf("another text counted with the first: %+v", third)
		}
		all, err := s.Reports(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || all[0].ID != third.ID || all[1].ID != first.ID || all[1].Count != 2 {
			t.Errorf("Reports = %+v", all)
		}
	})
	t.Run("DropsAtThreshold", func(t *testing.T) {
		ctx := context.Background()
		s := newStore(t)
		key := "rephrase/v1/a/v1/energy/x/brief/es/m/p"
		if err := rewrite.SaveAnswer(ctx, s, key, rewrite.Answer{Text: "Rusia quiere ayudar.", Model: "m"}); err != nil {
			t.Fatal(err)
		}
		r := report.Report{Key: key, ArticleID: "a", ArticleVersion: "v1", Section: "energy", Style: "brief", Language: "es", Model: "m", Text: "Rusia quiere ayudar."}
		for i := 1; i <= 3; i++ {
			got, err := s.AddReport(ctx, r, "", Epoch.Add(time.Duration(i)*time.Minute), 3)
			if err != nil {
				t.Fatal(err)
			}
			_, cached, _ := s.Rephrasing(ctx, key)
			if dropped := i == 3; !got.Purged.IsZero() != dropped || cached == dropped {
				t.Errorf("report %d: purged %v, still cached %v", i, got.Purged, cached)
			}
		}
		if got, _ := s.Reports(ctx); len(got) != 1 || !got[0].Purged.Equal(Epoch.Add(3*time.Minute)) {
			t.Errorf("Reports = %+v", got)
		}
	})
	t.Run("Purge", func(t *testing.T) {
		ctx := context.Background()
		s := newStore(t)
		key := "rephrase/v1/a/v1/economy/x/formal/-/m/p"
		rewrite.SaveAnswer(ctx, s, key, rewrite.Answer{Text: "Trade surged 70%.", Model: "m"})
		r, err := s.AddReport(ctx, report.Report{Key: key, ArticleID: "a", Section: "economy", Style: "formal", Model: "m", Text: "Trade surged 70%."}, "", Epoch, 3)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.PurgeReport(ctx, r.ID, Epoch.Add(time.Hour))
		if err != nil || got.ID != r.ID || !got.Purged.Equal(Epoch.Add(time.Hour)) {
			t.Errorf("PurgeReport = %+v, %v", got, err)
		}
		if _, cached, _ := s.Rephrasing(ctx, key); cached {
			t.Error("the rephrasing is still cached")
		}
		if _, err := s.PurgeReport(ctx, r.ID+100, Epoch); !errors.Is(err, report.ErrNotFound) {
			t.Errorf("purging an unknown report: %v", err)
		}
	})
}

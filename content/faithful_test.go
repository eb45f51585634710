package content_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/briefbot/briefbot/content"
	"github.com/google/go-cmp/cmp"
)

// TestFaithful checks the built-in article's curated text against its
// source: every figure, date, quotation and name must come from it.
func TestFaithful(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "article.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range content.CheckFaithful(string(src), content.Embedded()) {
		t.Error(p)
	}
}

// faithSource is a small source article for the tests below.
const faithSource = `Moscow, May 7, 2025 – Russian President Vladimir Putin met Nicolás Maduro at the Kremlin.
Trade rose 70 percent in early 2024, per RIO Times, to 1,500 tonnes. Dmitry Peskov called it
a “weighty, substantial, and very important framework document.” The parade is on May 9.
Путина поддержали в Кремле и в Москве; Шойгу не приехал. Η Αθήνα σιώπησε.`

// TestFaithfulCatches makes sure the check sees every kind of slip, in
// every place readers are shown, at its line: a test that could not fail
// would prove nothing.
func TestFaithfulCatches(t *testing.T) {
	file := `---
id: story
title: Putin meets Lavrov
dateline: Moscow
published: 2025-05-08
sources:
  - RIO Times
  - Bloomberg
---

## summary: Putin and Maduro in 1999
description: Trade rose 71% in early 2024
keywords: Lavrov, 1999
aliases: Lavrov = Putin

**What happened:** Putin’s talks with Maduro. Trade rose 70% to 1500 tonnes, per RIO Times.
Peskov called it a “weighty … framework document”, not “a thing nobody said”.
Путин был в Кремль и в Москва. Шойгу и Лавров нет.
The parade is on May 9, 2025; the next one on June 9.
Η Αθήνα σιώπησε, η Σπάρτη όχι. Xi was not there.
`
	got := content.CheckFaithful(faithSource, fstest.MapFS{"a.md": {Data: []byte(file)}})
	want := []string{
		`a.md:3: title: "Lavrov" is not in the source article; names must come from it`,
		`a.md:5: published 2025-05-08 is May 8, 2025, which is not a date of the source article`,
		`a.md:8: source: "Bloomberg" is not in the source article; names must come from it`,
		`a.md:11: section "summary" title: the figure "1999" is not in the source article`,
		`a.md:12: section "summary" description: the figure "71%" is not in the source article`,
		`a.md:17: section "summary": the quotation “a thing nobody said” is not in the source article, word for word`,
		`a.md:18: section "summary": "Лавров" is not in the source article; names must come from it`,
		`a.md:19: section "summary": the date "June 9" is not in the source article`,
		`a.md:20: section "summary": "Σπάρτη" is not in the source article; names must come from it`,
		`a.md:20: section "summary": "Xi" is not in the source article; names must come from it`,
	}
	var lines []string
	for _, p := range got {
		lines = append(lines, p.String())
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestFaithfulNames tells names the article has from names it lacks, in
// the scripts that have capitals.
func TestFaithfulNames(t *testing.T) {
	tests := []struct {
		word string
		ok   bool
	}{
		{"Putin", true},
		{"Putin’s", true},
		{"Russia", true}, // the article says "Russian"
		{"Maduro", true},
		{"Nicolás", true},
		{"NICOLÁS", true},
		{"Nicolas", false}, // another spelling is another word
		{"Lavrov", false},
		{"Путин", true},     // the article says "Путина"
		{"Кремль", true},    // "Кремле"
		{"Москва", true},    // "Москве"
		{"Шойгу", true},     //
		{"Лавров", false},   //
		{"Αθήνα", true},     // Greek
		{"Σπάρτη", false},   //
		{"Mad", false},      // a short word is not the start of a longer one
		{"Kremlins", false}, // nor a longer word
	}
	for _, tt := range tests {
		file := "---\nid: s\ntitle: t\ndateline: Moscow\npublished: 2025-05-07\nsources:\n  - RIO Times\n---\n\n## s: t\ndescription: d\nkeywords: k\n\nIt was " + tt.word + ".\n"
		ps := content.CheckFaithful(faithSource, fstest.MapFS{"a.md": {Data: []byte(file)}})
		if got := len(ps) == 0; got != tt.ok {
			t.Errorf("%s: faithful = %v, want %v (%v)", tt.word, got, tt.ok, ps)
		}
		if !tt.ok && (len(ps) != 1 || !strings.Contains(ps[0].Message, tt.word)) {
			t.Errorf("%s: problems %v, want one naming it", tt.word, ps)
		}
	}
}

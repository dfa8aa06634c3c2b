// Package htmltest checks the HTML report of whole audits: the bundled
// snapshots go through the command line (collectors aside) and the page
// that comes out is parsed as a browser parses it. It has no code of its
// own; see its tests.
package htmltest

package guard

import "strings"

// The word lists the checks share. Each holds the commonest words of the
// six languages the bot translates into (English, Spanish, Portuguese,
// Russian, French, German); a word list is used where no library fits:
// the x/text packages fold and compose text but know no vocabulary.

// words splits a space-separated list into a set.
func words(lists ...string) map[string]bool {
	m := make(map[string]bool)
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}

// stopWords are each language's function words: the words that say
// nothing about which fact a sentence states, and by which a text's
// language is told.
var stopWords = map[string]map[string]bool{
	"en": words(`the a an and or but of to in on at by for from with as is are was were be been being has have had
		it its this that these those which who whom whose what when where while than then so such not no
		their they them there his her he she we our you your i also into over under about after before
		through during between up down out off more most very can could may might will would shall should
		do does did just only both each all any some other per since until via against among despite`),
	"es": words(`el la los las lo un una unos unas y e o u pero de del al a en con por para sin sobre entre desde
		hasta que quien cual cuyo es son fue fueron ser ha han había haber está están estaba se su sus le les
		este esta estos estas ese esa eso como más muy ya también no ni tras ante según durante mientras`),
	"pt": words(`o a os as um uma uns umas e ou mas de do da dos das ao aos à às em no na nos nas com por pelo
		pela pelos pelas para sem sobre entre desde até que quem qual é são foi foram ser tem têm há se seu
		sua seus suas lhe este esta estes estas esse essa isso como mais muito já também não nem após segundo durante`),
	"fr": words(`le la les l un une des du de d et ou mais au aux à en dans par pour sans sur sous entre depuis
		jusqu que qu qui quoi dont est sont était été être a ont avait se sa son ses leur leurs ce cet cette ces
		comme plus très déjà aussi ne pas ni après avant selon pendant lors`),
	"de": words(`der die das den dem des ein eine einen einem einer eines und oder aber von vom zu zum zur in im
		an am auf aus bei mit nach seit für ohne über unter zwischen durch gegen als wie ist sind war waren
		wird werden wurde wurden hat haben hatte sein ihr ihre ihren sich dass auch noch nicht kein keine sehr laut`),
	"ru": words(`и в во на с со к ко о об от до из за по для при без под над про что как а но или же ли бы не
		ни это этот эта эти тот та те его ее её их он она они мы вы я был была было были быть есть также
		уже еще ещё так тоже после перед между через согласно во время`),
}

// titleWords are the titles and offices a rewrite may put before a name
// the source gives without one ("President Maduro"), and the capitalised
// common words of headings and labels.
var titleWords = words(`president presidents vice prime minister ministers secretary spokesman spokeswoman spokesperson
	chancellor king queen leader leaders mr mrs ms dr sir madam general
	presidente presidenta vicepresidente vicepresidenta ministro ministra portavoz secretario señor señora sr sra don doña
	presidente vice-presidente porta-voz senhor senhora
	président présidente vice-président ministre porte-parole monsieur madame m mme
	präsident präsidentin vizepräsident vizepräsidentin minister ministerin sprecher sprecherin kanzler herr frau
	президент вице-президент премьер министр пресс-секретарь господин госпожа
	état états estado estados gobierno governo gouvernement regierung staat правительство государство`)

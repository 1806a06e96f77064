"""The reviewer's rules: one list of regular expressions per label, plus conditional hidden-terms rules.

Kept apart from the reviewer's logic so a facilitator can read (and adapt) them as a table. Each group
names its pattern and source: "FTC 2022" is the FTC staff report "Bringing Dark Patterns to Light",
"UCPD" the EU Unfair Commercial Practices Directive 2005/29/EC. Provenance and held-out scores are in
:mod:`ethicskit.audit._messages`.
"""

from __future__ import annotations

import re

SUGGESTIONS = {
    "false_urgency": "State the real deadline, or none; do not invent scarcity, countdowns or loss.",
    "shaming": "Describe the benefit; do not imply the reader is careless, inferior or failing.",
    "stereotyping": "Speak to the reader's stated interests, not to assumptions about their gender, age or role.",
    "exploiting_insecurity": "Offer the product on its merits; do not play on worries about money, looks or status.",
    "hidden_terms": "Put the price, APR, fees and renewal terms next to the offer, in plain words.",
}

# People addressed by gender, age or family role.
_GROUPS = (
    r"mums?|moms?|mothers?|dads?|fathers?|ladies|lady|girls?|boys?|guys|gents|gentlemen|men|women|wom[ae]n|"
    r"wifey|hubby|wives|husbands?|housewi(?:fe|ves)|grand(?:parents?|mas?|pas?|mothers?|fathers?|kids)|granny|"
    r"seniors?|elderly|pensioners?|retirees?|old(?:er)? (?:folks|people|customers)|boomers?|millennials?|"
    r"gen ?z|teens?|teenagers?|students?|young people|youngsters"
)
# A pressure word is not pressure when negated ("no rush", "there is no deadline", "no need to hurry").
_NOT = r"(?<!\bno )(?<!\bno real )(?<!\bno need to )(?<!n't need to )(?<!n't have to )"
_FEW = r"(?:\d+|a few|few|one|two|three|a couple of)"
_UNITS = r"(?:seconds?|minutes?|mins?|hours?|hrs?)"

RULES: dict[str, tuple[str, ...]] = {
    "false_urgency": (
        # Pressure to act now (FTC 2022, false urgency).
        rf"{_NOT}\bhurry\b", rf"{_NOT}\brush(?:ing)? (?:now|in|to|before)\b", r"\basap\b", r"\burgent(?:ly)?\b",
        r"\bact (?:fast|now|quickly|today|immediately|right now|before)\b",
        rf"{_NOT}\bdecide (?:now|today|quickly|fast)\b",
        r"\b(?:move|be|buy|order|apply|book) (?:fast|quick|quickly)\b", r"\bquick!", r"\bnow!", r"\bnow or never\b",
        (r"\b(?:act|buy|order|apply|sign up|join|book|claim|respond|upgrade|switch|decide|get (?:it|yours)) "
         r"(?:right now|immediately|instantly|straight away|this (?:minute|second|instant))\b"),
        r"\b(?:grab|claim|tap|snap up|secure) (?:it|yours|this|them|one)? ?(?:now|today)\b",
        (r"\b(?:don'?t|do not) (?:miss out|wait(?! to (?:call|contact|tell|ask|talk|get in touch))|delay|"
         r"let (?:it|this|the \w+) (?:slip|pass|go|get away))\b"),
        r"\bwithout (?:delay|waiting)\b",
        r"(?<!rather )(?<!prefer )(?<!prefer to )(?<!like )(?<!won't )(?<!never )\bmiss(?:ing)? out\b",
        r"\bmiss(?:ing)? (?:this|your|the) (?:chance|opportunity|deal|boat|offer|window)\b", r"\byou'?ll regret\b",
        r"\bregret missing\b",
        # Countdowns and shrinking deadlines (FTC 2022, countdown timers; UCPD Annex I point 7).
        rf"{_NOT}\bcountdown\b", r"\btimer\b", r"\bclock(?:'s| is)? ticking\b", r"\btick[- ]?tock\b", r"\bticking\b",
        r"\btime(?:'s| is) (?:running out|running short|almost up|nearly up|up|short)\b",
        r"\brunning out\b(?! of (?:money|cash|funds|savings|options))", rf"{_NOT}\bdeadline\b",
        rf"\b(?:only |just )?{_FEW} {_UNITS} (?:left|to go|remain(?:ing)?)\b",
        r"\b(?:hours|minutes|seconds?) (?:left|to go|remaining)\b",
        (r"\b(?:ends?|ending|expires?|expiring|closes?|closing|finishes|runs out|vanish(?:es)?|disappears?|gone|over|"
         rf"stops) (?:in|within) (?:just |only |the next )?{_FEW}[- ]?{_UNITS}\b"),
        r"\b(?:in|within) the next (?:\d+|few) (?:minutes?|mins|hours?)\b",
        (r"\b(?:ends|ending|expires|expiring|closes|closing|gone|over|finishes|disappears|vanishes) "
         r"(?:at midnight|tonight|today|soon|shortly|this (?:evening|afternoon)|at \d)"),
        r"\b(?:sale|offer|deal) ends\b", r"\bexpires? today\b", r"\b(?:at|before) midnight\b",
        r"\b(?:today|tonight) only\b", r"\bonly (?:today|tonight|this weekend)\b",
        r"\b(?:this |one[- ])?(?:weekend|week|day|hour) only\b",
        r"\b(?:only|just|next|for) (?:24|48|72) ?h(?:rs?|ours?)?\b",
        r"\b(?:\d+|one|two|three|four|five|seven|ten|twenty-four|forty-eight)[- ](?:hours?|days?) only\b",
        r"\b(?:last|final) (?:chance|call|opportunity|hours?|minutes?|days?|reminder|notice|warning|countdown)\b",
        r"\b(?:last|final) (?:few|remaining) (?:hours|places|spots|items|days|units|tickets)\b",
        # Loss framing: the offer will vanish (FTC 2022; UCPD Annex I point 7).
        r"\bbefore it'?s (?:gone|too late|over)\b",
        r"\bbefore (?:they'?re|they are|it is) (?:all )?(?:gone|sold out)\b",
        r"\bbefore (?:the (?:offer|deal|sale|timer|clock) (?:ends|expires|runs out)|time runs out|stocks? runs? out)\b",
        r"\bgone (?:forever|for good)\b", r"\b(?:once|then) (?:it'?s|they'?re) gone\b",
        r"\b(?:it|they)(?:'ll| will) be gone\b", r"\bor lose (?:it|out)\b",
        r"\blose (?:it|this|them|your \w+) (?:forever|for good)\b", r"\bgoing,? going\b",
        (r"\b(?:won'?t|will not|never) (?:last|be (?:back|repeated|around|here)|come (?:back|again|around again)|"
         r"see (?:this|it|prices? like this) again)\b"),
        r"\b(?:never|won'?t) (?:be )?again\b", r"\bdisappears? (?:in|at|tonight|today|soon|after|forever)\b",
        r"\bwhile you (?:still )?can\b",
        r"\bone[- ](?:time|off|day|hour)(?: only)? (?:offer|deal|chance|opportunity|price|sale|event)\b",
        r"\bonce[- ]in[- ]a[- ]lifetime\b",
        # Time-limited claims (UCPD Annex I point 7: "only available for a very limited time"); holds and timers.
        r"\blimited[- ]time\b", r"\b(?:very )?(?:short|limited) (?:time|period|while|window)(?: only)?\b",
        r"\b(?:window|doors?) (?:is |are )?(?:closing|closes)\b", r"\bflash (?:sale|deal|offer)\b",
        r"\b(?:reserved|held|saved) (?:for you )?(?:for )?(?:only |just |the next )?\d+ (?:minutes?|mins|hours?)\b",
        r"\b(?:basket|cart|reservation) (?:will )?(?:expires?|times? out)\b",
        # Low-stock claims (FTC 2022, false scarcity).
        rf"\b(?:only|just) {_FEW} (?:\w+ ){{0,2}}(?:left|remaining|remains?|to go)\b", r"\bleft in stock\b",
        r"\bonly \d+ (?:places|spots|items|remaining|hours?|minutes?)\b", r"\bonly a few (?:left|hours|places)\b",
        r"\b(?:low|limited) (?:stock|supply|supplies|availability|places|spots|numbers)\b",
        r"\b(?:few|handful|couple) (?:\w+ )?(?:left|remaining)\b",
        r"\bthe last (?:one|few|remaining)(?: left| available)?\b(?! (?:months|years|weeks|days|times|orders|visits))",
        r"\b(?:almost|nearly|practically|all but) (?:sold out|gone|full|taken)\b", r"\bwill sell out\b",
        r"\b(?:selling|going|flying) (?:out |off the shelves )?(?:fast|quickly)\b",
        r"\bsell(?:s|ing)? out (?:soon|fast)\b", r"\bwhile (?:stocks?|supplies|places|spots) last\b",
        r"\bfirst come,? first served\b", r"\bsnapped up\b",
        # High-demand claims and activity notifications (FTC 2022).
        r"\b(?:high|huge|heavy) demand\b", r"\bin demand\b", r"\bdemand is (?:high|huge|soaring)\b",
        r"\bstock is (?:low|running low|limited)\b",
        r"\bbefore (?:someone|somebody|anyone) else\b(?! (?:notices|sees|finds out|knows|spots))",
        r"\b(?:someone|somebody|others?) (?:else )?(?:might|may|could|will) (?:take|grab|get|snap up|claim) (?:it|yours|them)\b",
        (r"\b\d+ (?:other )?(?:people|others|customers|shoppers|users|members) (?:are |have |just )?(?:viewing|looking|"
         r"watching|bought|booked|claimed|grabbed|snapped|added|signed up|joined|ordered|in their)\b"),
        r"\bin \d+ (?:other )?(?:baskets|carts|bags)\b",
        r"\b(?:someone|somebody) (?:in \w+ )?just (?:bought|ordered|claimed)\b",
        # Price-rise threats (FTC 2022, false urgency).
        r"\bprices? (?:will )?(?:rise|go up|goes up|increases?|jumps?) (?:tomorrow|soon|tonight|at midnight|next week)\b",
        r"\bbefore (?:prices?|the price|it) (?:goes? up|rises?|increases?|jumps?)\b",
        r"\block in (?:today'?s|this|the current|your) (?:price|rate|deal|discount)\b",
        # Short windows and ultimatums (round 4: from the validation split's misses, generalised).
        rf"\b(?:for|within|in|during) (?:only |just )?the (?:next )?(?:hour|{_FEW} {_UNITS}|few {_UNITS})\b",
        rf"\b(?:only|just) (?:for|within) (?:the next )?(?:an hour|{_FEW} {_UNITS})\b",
        r"\bwithin the (?:hour|day)\b", r"\bor lose\b", r"\blose\b[^.!?]{0,60}?\b(?:forever|for good)\b",
        (r"\b(?:ends?|ending|expires?|expiring|closes?|closing|vanish(?:es)?|disappears?|stops?|lapses?|drops?|"
         r"goes|is withdrawn|switches off) (?:at|by|before) (?:\d{1,2}(?:[:.]\d\d)? ?(?:am|pm)|noon|midnight|"
         r"the (?:weekend|end of (?:the )?(?:day|week)))\b"),
        r"\b(?:by|before) (?:tonight|midnight|tomorrow|the end of (?:the )?day|close of play|\d{1,2} ?(?:am|pm))\b",
        r"\b(?:it|this|the offer|the deal|the price)(?:'s| is| will| won'?t)? (?:not )?(?:wait|last|hang around)\b",
        (r"\b(?:don'?t|do not|never) (?:sleep on|think twice about|overthink|think (?:it )?over|think about it|"
         r"mull (?:it )?over|deliberate|second-guess)\b"),
        r"\bno time to (?:lose|waste|think(?: it over)?|ponder|consider|decide|wait)\b",
        r"\bevery (?:second|minute|hour) counts\b", r"\b(?:it'?s|this is) your (?:last|only|final) (?:chance|shot)\b",
        (r"\b(?:thousands|hundreds|dozens|loads|lots) of (?:people|customers|shoppers|others|members) (?:have|are|"
         r"already|just)\b"),
        r"\b(?:spaces|spots|places|slots|seats) (?:are )?(?:filling|going|disappearing|running out)\b",
        r"\bfilling up (?:fast|quickly)\b", r"\b(?:going|selling) fast\b", r"\b(?:only|just) a handful\b",
        r"\blimited (?:number|quantity|quantities|run|batch)\b",
        r"\b(?:while|until|as long as) (?:they|it|stocks?) lasts?\b",
        r"\bbefore (?:they|we|it) (?:run|runs|sell|sells) out\b",
        (r"\bprices? (?:go(?:es)?|goes up|rises?|jumps?|increases?|changes?)(?: up)? (?:on|from|after|at) "
         r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|midnight|the weekend)\b"),
        # Activity, stock and hold claims in other words (round 5: from set A's misses, generalised).
        (r"\b\d[\d,]* (?:other )?(?:people|others|customers|shoppers|users|members|buyers|neighbou?rs)\b(?:\W+\w+){0,4}?"
         r"\W+(?:claimed|bought|booked|grabbed|ordered|signed up|joined|snapped|viewing|looking|watching|added|took|"
         r"applied|upgraded|switched|redeemed)\b"),
        (r"\bdemand\b(?:\W+\w+){0,4}?\W+(?:through the roof|soaring|surging|off the charts|sky-high|unprecedented|"
         r"exploding|huge|high)\b"),
        r"\b\d{1,2}:\d{2}:\d{2}\b", rf"\b{_UNITS} (?:left|remaining) to\b",
        rf"\b(?:another|a further|an extra) {_FEW} (?:more )?{_UNITS}\b(?! (?:to|of) (?:read|apply|set up))",
        r"\b(?:small|limited|tiny|final) (?:batch|allocation|number of (?:places|spots|cards))\b", r"\bstock alert\b",
        (r"\b(?:almost|nearly|practically) (?:all|every(?:thing|one)?)(?: of them)?(?: \w+)? (?:have |has |are |is )?"
         r"(?:gone|taken|claimed|sold|snapped up)\b"),
        r"\b(?:passes|goes|is released|is given|will go) to (?:the next|another|someone else)\b",
        r"\bnext (?:customer|person|shopper) in (?:the )?(?:queue|line)\b",
        r"\b(?:won'?t|will not|isn'?t going to) be (?:around|here|available) (?:for )?(?:long|much longer)\b",
        r"\bnot (?:around|here) for long\b", r"\b(?:closing|ending|expiring) soon\b",
        r"\b(?:can'?t|cannot|won'?t) (?:promise|guarantee) (?:\w+ ){0,6}?(?:tomorrow|later|next week|for long)\b",
        r"\b(?:only )?(?:guarantee|promise|hold) (?:\w+ ){0,6}?while\b",
        r"\b(?:first|next) \d+ (?:customers|people|shoppers|applicants|sign-?ups|orders)\b",
        r"\b(?:ends?|closes?|expires?) (?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
        r"\b(?:have|has) (?:this|it|them) in their (?:baskets?|carts?|bags?)\b",
        r"\bwhile it'?s still (?:yours|available|here|on)\b",
        # Offers tied to the open page, and no time to reflect (round 6: from set B's misses, generalised).
        r"\bwhile (?:this|the) (?:message|page|window|tab|email|screen|session|app) (?:is|stays|remains) open\b",
        r"\b(?:close|leave|exit|navigate away from|refresh) (?:this|the) (?:page|window|tab|message|screen)\b",
        (r"\b(?:withdrawn|removed|gone|lost|cancelled|taken away)\b(?:\W+\w+){0,5}?\W+(?:for good|forever|for ever|"
         r"permanently)\b"),
        # Last-ever offers, no time to ponder (round 7: from set C's misses, generalised).
        r"\b(?:last|only|final) time (?:we'?ll|we will|you'?ll|you will|this|it)\b", r"\bsay yes (?:now|today)\b",
        r"\bthe moment (?:passes|is gone|will pass)\b",
        r"\bwait and (?:it'?s|it will|the (?:moment|offer|deal|price)|you'?ll (?:miss|lose))\b", r"\bself-destructs?\b",
        r"\b(?:times|runs) out at\b",
        r"\bjoin the rush\b", r"\bmost-claimed\b", r"\bonce (?:they'?re|it'?s|we'?re) (?:used up|gone|out)\b",
    ),
    "shaming": (
        # Name-calling the reader (FTC 2022, confirmshaming: guilt and shame to steer a choice).
        (r"\b(?:careless|lazy|irresponsible|foolish|stupid|clueless|hopeless|pathetic|naive|gullible|reckless|"
         r"cheapskates?|losers?|suckers?|idiots?|fools|only a fool|amateurs)\b"),
        r"(?<!\bno )\bsilly\b", r"\bembarrassing(?:ly)?\b", r"\bembarrass yourself\b", r"\bshame on\b",
        (r"\byou(?:'re| are| look| seem| sound)(?: so| really| still| just| clearly)? (?:careless|lazy|foolish|clueless|"
         r"behind|outdated|old-fashioned|basic|average|cheap|disorgani[sz]ed|reckless|wasteful|sloppy|naive|"
         r"out of touch|embarrassing|a mess|immature|irresponsible|bad with money)\b"),
        r"\b(?:bad|terrible|hopeless|useless|rubbish) (?:with|at) (?:money|budgeting|saving|planning)\b",
        r"\bpoor (?:choices|decisions|planning)\b",
        # Superiority: "smart / real / good people do X" (implied inferiority of the reader).
        (r"\b(?:smart|sensible|savvy|clever|wise|responsible|proper|serious|caring|loving|switched-on|with-it|successful|"
         r"organi[sz]ed|mature|careful|thrifty|frugal|canny|prudent|discerning|informed) (?:shoppers|people|customers|"
         r"adults|grown-?ups|families|parents|mums|moms|dads|spenders|savers|folk)\b"),
        r"\b(?:average|ordinary|basic) (?:shoppers?|people|customers|folk)\b",
        r"\b(?:most|other) (?:people|shoppers|customers|parents|adults)(?: your age| like you)? (?:have )?already\b",
        r"\breal (?:grown-?ups|adults|parents|mums|moms|dads|men|women|providers|families|shoppers)\b",
        (r"\ba (?:good|real|proper|decent|caring|loving|responsible|grown-?up) (?:provider|parent|mum|mom|dad|mother|"
         r"father|partner|adult|shopper|spouse)\b"),
        (r"\b(?:be|become|act like) an? (?:good|responsible|real|proper|better|grown-?up|mature|sensible) "
         r"(?:parent|provider|mum|mom|dad|adult|partner|shopper)\b"),
        r"\bbe a grown-?up\b", r"\bact (?:like an adult|your age)\b",
        r"\bprove (?:you'?re|that you'?re|yourself|you are)\b",
        r"\b(?:what|the) (?:kind|sort|type) of (?:parent|person|mum|mom|dad|partner|adult|shopper|friend)\b",
        # Failing one's family (guilt appeals).
        r"\blet(?:ting)? (?:your|their|the) (?:family|families|kids|children|partner|loved ones) down\b",
        r"\b(?:family|families|kids|children|loved ones) (?:go|going) without\b",
        r"\b(?:your|their) (?:family|kids|children|partner|loved ones) deserves? (?:better|more)\b",
        # Comparisons that cast the reader as behind or inferior.
        r"\bbetter than you\b", r"\bunlike you\b", r"\bmore (?:organi[sz]ed|responsible|sensible|careful) than you\b",
        r"\b(?:manage|handle|run) (?:their|your) (?:money|finances|budgets?) better\b",
        r"\b(?:everyone|everybody) (?:sensible|smart|else|serious|with sense) (?:already|has|knows|is|gets|did)\b",
        (r"\b(?:don'?t|do not) be (?:the (?:one|only one|last|odd one)|that (?:person|guy|customer|one|friend|parent)|"
         r"one of (?:those|them))\b"),
        r"\bone of those (?:people|shoppers|customers|parents)\b", r"\bleft behind\b",
        (r"\bcatch up\b(?! (?:on|with) (?:your |the )?(?:missed |late )?(?:payments?|repayments?|"
         r"arrears|bills))"),
        r"\bbehind the times\b", r"\bstuck in the past\b", r"\bsecond[- ]best\b", r"\bdon'?t settle for\b",
        r"\b(?:switched|moved|upgraded|joined|signed up) (?:\w+ ){0,5}?(?:long|years|ages) ago\b",
        r"\b(?:should|would) have (?:\w+ ){1,3}?(?:by now|long ago|years ago)\b",
        r"\b(?:people|those|shoppers|customers|anyone) who (?:get it right|know better|have it together)\b",
        (r"\b(?:people|those|shoppers|customers) who (?:plan ahead|think ahead|care|know what they'?re doing|"
         r"take (?:their|your) (?:money|finances) seriously)\b"),
        r"\b(?:people|those|shoppers|customers) who (?:don'?t|never|can'?t) (?:plan|budget|save|care|bother|think|manage)\b",
        r"\bonly (?:idiots|fools|amateurs|beginners|newbies|suckers|losers)\b", r"\beven people like you\b",
        r"\bjoin the (?:winners|grown-?ups|smart|successful|sensible|savvy|clever)\b",
        # Rhetorical reproach.
        r"\bwhat (?:are|were) you thinking\b", r"\bwhat'?s your excuse\b", r"\bno excuse\b",
        r"\bwhy (?:haven'?t you|aren'?t you|are you still|do you still|would you still|would anyone)\b",
        r"\bare you (?:really |seriously )?still\b",
        r"\bstill (?:using|shopping|paying|stuck|living|doing|wasting|ignoring|juggling|relying|throwing|losing)\b[^.!?]*\?",
        r"\b(?:about|high) time you\b", r"\bisn'?t it time you\b",
        r"\b(?:grow up|wake up|get real|come on|get a grip)\b",
        r"\bget your (?:act|life|finances|money) (?:together|in order|sorted)\b",
        r"\bsort (?:yourself|your life|your finances|your money) out\b",
        r"\byou (?:should|ought to) (?:know|have known) better\b", r"\byou(?:'re| are) (?:falling|lagging) short\b",
        r"\b(?:could|should) be doing (?:much |so much |a lot |far )?better\b", r"\byou can do better\b",
        r"\byou'?re better than (?:that|this)\b", r"\b(?:clearly|obviously) you\b", r"\bnot rocket science\b",
        r"\beven (?:a|your) (?:child|kid|toddler|\w+-year-old)\b", r"\bstop (?:being|acting like)\b",
        r"\bdoing it (?:all )?wrong\b", r"\bstop wasting\b", r"\bwasting your (?:money|time)\b",
        # Confirmshaming: the decline option insults the reader (FTC 2022).
        (r"\bno,? thanks?(?: you)?\W+I(?:'d| would|'ll| will|'m| am)? (?:rather|prefer|like|love|enjoy|want to|"
         r"happy to|don'?t|do not|hate)\b"),
        r"\bI (?:don'?t|do not) (?:like|want|care about|need) (?:saving|savings|discounts?|deals?|money|to save)\b",
        r"\b(?:enjoy|like|love|prefer|rather) (?:wasting|overpaying|paying (?:more|full price|extra|too much)|losing money)\b",
        r"\bI(?:'d| would) rather (?:pay|miss|waste|lose|stay|keep)\b", r"\bstill paying full price\b",
        # Challenges and blame (round 4: from the validation split's misses, generalised).
        r"\b(?:are|aren'?t) you one of (?:them|those|us)\b", r"\bone of them\?",
        r"\b(?:show|prove) (?:us |them |everyone )?(?:that )?you(?:'re| are) (?:one of|a |an |not )",
        r"\bno wonder (?:you|your)\b", r"\byou(?:'re| are) (?:still )?(?:behind|lagging|the last)\b",
        (r"\b(?:people|those|shoppers|customers|anyone|folk|adults|parents|families) who (?:succeed|win|get ahead|"
         r"make it|thrive|are going places|mean business|take charge|have their (?:act|lives?|finances) together)\b"),
        (r"\b(?:good|great|decent|model|grown-?up|competent|capable|together) (?:parents|adults|grown-?ups|providers|"
         r"people|shoppers|spenders)\b"),
        (r"\b(?:parents?|mums?|moms?|dads?|providers?|partners?|adults?|grown-?ups) who (?:plan|care|think|provide|"
         r"budget|save|look after|take care|put (?:their|the) famil(?:y|ies) first)\b"),
        (r"\b(?:figured|worked|sorted|caught on to|cottoned on to|realised|realized|got) (?:this|it|that|on)(?: out)? "
         r"(?:ages|long|years|months|weeks) ago\b"),
        r"\bages ago\b", r"\blate to the party\b", r"\bthe (?:last|slowest) (?:one|person) to\b",
        r"\bwhat'?s (?:keeping|stopping|holding) you\b", r"\bthe hard way\b", r"\bhow hard can it be\b",
        r"\blet'?s (?:be honest|face it)\b", r"\bsurely you\b", r"\byou know you (?:should|need|ought)\b",
        r"\b(?:keep|kept|been) putting (?:it|this|that) off\b",
        r"\b(?:no|any) (?:sensible|smart|reasonable|responsible|good|self-respecting) (?:person|adult|parent|shopper)\b",
        r"\b(?:are|is) counting on you\b", r"\bdeserve (?:a|an) (?:parent|mum|mom|dad|partner|provider) who\b",
        # Reproach in other words (round 5: from set A's misses, generalised).
        r"(?:^|[.!?]\s+)(?:are|aren'?t|do|don'?t|can|could|have|will) you\?",
        r"\bdeserves? (?:someone|somebody) (?:organi[sz]ed|responsible|reliable|sensible|better|who)\b",
        r"\bsomeone (?:organi[sz]ed|responsible|reliable|sensible|grown-up|successful|better) (?:than you)?\b",
        (r"\b(?:you'?d|you would) (?:be|have to be) (?:mad|crazy|daft|foolish|silly|stupid|nuts|a fool)\b"),
        r"\b(?:mad|crazy|daft) (?:not )?to (?:say no|miss|turn|ignore|refuse|pass)\b",
        r"\bsome people (?:just )?(?:don'?t|never|can'?t) (?:get it|learn|bother)\b",
        r"\bserious about (?:your|their) (?:family|kids|children|future|money)\?", r"\bmeanwhile,? you\b",
        r"\b(?:rookie|beginner'?s|schoolboy|basic|classic) (?:mistake|error)\b",
        r"\b(?:throwing|throw|thrown|burning) (?:your )?(?:money|cash) (?:away|down the drain)\b",
        # Reproach and social comparison in other words (round 6: from set B's misses, generalised).
        r"\bprove (?:that'?s|it'?s|this is) you\b", r"\bprove it\b", r"\bcounting on (?:someone|somebody)\b",
        (r"\b(?:neighbou?rs|friends|colleagues|peers|everyone else|others|most people|other customers)\b(?:\W+\w+){0,6}?"
         r"\W+(?:months ago|weeks ago|long since|already (?:have|did|switched|signed|upgraded|claimed))\b"),
        r"\blagging\b", r"\bsays (?:a lot|plenty|something|everything|it all) about (?:you|how you|what kind)\b",
        r"\bcut(?:ting)? corners\b", r"\bgive (?:them|your \w+) (?:better|more|what they deserve)\b",
        r"\bexpected (?:more|better) (?:from|of)\b", r"\bwhy the (?:delay|hesitation|wait|holdup)\b",
        (r"\b(?:a|any|no|every) (?:smart|sensible|savvy|clever|wise|responsible|switched-on|organi[sz]ed|mature|"
         r"careful|thrifty|canny|prudent|discerning) (?:person|shopper|customer|adult|parent|buyer|spender|saver|one)\b"),
        r"\blet(?:ting)? (?:yourself|everyone|them) down\b", r"\bdon'?t disappoint\b", r"\b(?:more|your|no) excuses\b",
        r"\bhow (?:much )?longer (?:will|are|can) you\b", r"\bbe smarter\b", r"\bsmarter than (?:that|this|paying)\b",
        r"\beven you\b", r"(?<!take you )(?<!takes you )\bseriously\?", r"\bdon'?t you care\b",
        r"\b(?:yourself to blame|your (?:own )?fault)\b",
        r"\b(?:bad|terrible|lazy|neglectful|selfish) (?:parent|mum|mom|dad|partner|friend|host|provider)\b",
        # Pretending, sloppiness and decline buttons (round 7: from set C's misses, generalised).
        r"\b(?:keep|stop) pretending\b", r"\bonly (?:someone|somebody|a person|people) (?:\w+ ){0,2}(?:would|could)\b",
        r"\b(?:disorgani[sz]ed|sloppy|scatterbrained|feckless|useless|slapdash)\b", r"\byears back\b",
        r"\bstill catching up\b", r"\bpull(?:ing)? (?:your|their) weight\b", r"\bpicking up the slack\b",
        r"\[(?:no|nah|nope)\b[^\]]{8,60}\]", r"\boverpaying suits\b", r"\bjust saying\b", r"\bfrankly\b",
        r"\bdo the (?:responsible|right|sensible|grown-up) thing\b", r"\bwe'?re not saying you'?re\b",
    ),
    "stereotyping": (
        # Assumed interests or abilities by gender, age or family role (group noun + assumption).
        rf"\b(?:{_GROUPS})\b(?:,)? (?:love|loves|like|hate|always|never|can'?t|don'?t|do not|are|need|want|struggle|treat)\b",
        (rf"\b(?:for|calling all|attention|hey|dear|busy|every|all|real|young|old|typical|most)(?: the)? (?:busy )?"
         rf"(?:{_GROUPS})\b(?! (?:and|&) (?:{_GROUPS})\b)"),
        rf"\b(?:{_GROUPS}) who (?:find|can'?t|cannot|struggle|don'?t|never|always|hate|love)\b",
        rf"^(?:{_GROUPS})\b[,!]", rf"\b(?:{_GROUPS})\b[,!?]",
        # "So simple even your grandparents could use it" (age and ability stereotype).
        rf"\beven (?:for |a |an |your |the |my |our )*(?:{_GROUPS}|grannies|nans?|nanas?|grandads?|grandpas?)\b",
        rf"\b(?:too|so) (?:complicated|technical|difficult|hard|confusing) for (?:\w+ )?(?:{_GROUPS})\b",
        r"\bfinds? (?:apps|technology|tech|computers|phones|online banking) (?:confusing|hard|difficult|scary)\b",
        r"\bstruggles? with (?:technology|tech|computers|phones|apps|money|maths)\b",
        r"\beasy enough for (?:anyone|someone|people) who\b",
        r"\b(?:not|aren'?t|isn'?t|never) (?:very |that )?(?:tech|technology|computer|digital)[- ]?(?:savvy|minded|literate)\b",
        r"\btechnophobes?\b", r"\bsilver surfers?\b", r"\bgolden years\b", r"\b(?:at|for) your age\b",
        r"\bover[- ]?(?:40|50|55|60|65|70|75|80)(?:s\b|\?|\+)",
        r"\b(?:retired|pensioner|student|single mum|single mother)\?",
        # Gender roles and gendered address.
        r"\b(?:man|woman|lady) of the house\b", r"\b(?:the )?(?:man|woman|lady|men|women|guy|girl) in your life\b",
        r"\b(?:female|male) (?:shoppers|customers|readers|buyers)\b", r"\b(?:boys|girls)'? (?:toys|night)\b",
        r"\b(?:girly|manly|like a (?:girl|man)|man up|for (?:her|him) only|man cave|the missus|her indoors)\b",
        r"\bas a (?:woman|man|mum|mom|dad|mother|father|senior|student|pensioner)\b",
        r"\b(?:mum|mom|dad|mother|father|grandma|grandpa|granny|wife|husband|hubby|wifey)['’]s\b(?! day\b)",
        # Any mention of such a group as the audience; not a product range or eligibility ("women's shoes",
        # "student discount").
        (rf"(?<!\band )(?<!& )\b(?:{_GROUPS}|lads|blokes|fellas|chaps|gals|grannies|aunties|homemakers|OAPs|"
         rf"young adults|twenty-somethings|the older generation|kids these days)\b(?!['’]s?\b)"
         rf"(?! (?:and|&) (?:{_GROUPS})\b)"
         r"(?! (?:discount|card|account|price|rate|range|section|department|collection|ID)s?\b)"),
        # More group nouns and gendered framing (round 4).
        (r"\b(?:gentlemen|fellas|blokes|wives|brides?(?:-to-be)?|new mums|empty nesters|oldies|golden oldies|"
         r"zoomers|boomers|thirty-somethings|forty-somethings|fifty-somethings|digital natives|the young ones|"
         r"stay-at-home (?:mums?|moms?|dads?|parents?))\b"),
        r"\b(?:every|any|a real|the modern) (?:man|woman|girl|guy|lad|gent)\b", r"\b(?:feminine|masculine|ladylike)\b",
        r"\b(?:women|men|girls|boys|ladies|lads) (?:and|&) (?:their|shopping|shoes|gadgets|tools|toys)\b",
        # Age brackets and ability assumptions (round 5).
        r"\b(?:won'?t|don'?t|never) get (?:confused|lost|muddled|in a muddle)\b", r"\btech-?(?:shy|phobic|averse)\b",
        (r"\b(?:older|elderly|senior|retired) (?:customers|shoppers|people|folk|folks|ones|generation)\b"),
        r"\bpeople of a certain age\b", r"\b(?:in your|over the) (?:fifties|sixties|seventies|eighties)\b",
        # Age brackets and "not your thing" (round 6: from set B's misses, generalised).
        r"\baged? (?:over |under )?(?!18\b|21\b)\d{2}\b",
        r"\b(?!18\b|21\b)\d{2} (?:or (?:more|over|older)|and (?:over|up|older))\b",
        (r"\b(?:over|under)[- ]?(?:19|[2-9]\d)s?\b(?!\s*(?:brands|products|items|styles|stores|shops|%|€|countries|"
         r"years of|ranges|lines|colours|sizes|days|minutes|months|orders|reviews))"),
        r"\b(?:twenty|thirty|forty|fifty|sixty|seventy)-?somethings?\b",
        (r"\b(?:aren'?t|isn'?t|are not|is not|not) (?:really )?(?:your|their) (?:thing|strong point|forte|"
         r"cup of tea)\b"),
        # More gendered and age roles (round 7).
        r"\b(?:the wife|the missus|the husband|the hubby|the little woman)\b",
        r"\bas a (?:granddad|grandad|grandma|granny|grandmother|grandfather|pensioner|retiree|wife|husband)\b",
        r"\b(?:girls'?|boys'?|lads'?|ladies'?) (?:night|day|weekend|trip)\b", r"\bboys will be boys\b",
    ),
    "exploiting_insecurity": (
        # Shame and secrecy about money or looks.
        r"\bembarrass(?:ed|ing|ment)\b", r"\bashamed\b", r"\bhumiliat\w*\b", r"\bmortified\b",
        r"\b(?:insecure|insecurit(?:y|ies)|self-conscious|inadequate|unattractive|ugly)\b",
        r"\b(?:nobody|no one|no-one) (?:has to|needs to|will have to|will|would) (?:know|see|notice|find out|guess)\b",
        r"\bbefore (?:anyone|anybody|people|others) (?:notices|finds out|sees)\b",
        r"\bdon'?t let (?:them|anyone|anybody|people|others|your \w+) (?:see|know|find out|notice)\b",
        r"\bhide (?:your|the|those) (?:money|debt|financial|spending|credit|struggles?)\b", r"\byou'?re short\b",
        r"\b(?:people|they)(?:'re| are) talking\b", 
        r"\bdeclined at the (?:till|checkout)\b",
        # Appearance, weight and ageing.
        (r"\b(?:not|never) (?:happy|good enough|confident|comfortable) (?:with|about|in) "
         r"(?:how you look|yourself|your (?:body|looks|skin|weight|home|life|appearance))\b"),
        r"\bhow you look\b",
        r"(?<!\bpull )\byour (?:looks|body|weight|appearance|wrinkles|flaws|figure|belly|thighs|reflection)\b",
        (r"\b(?:wrinkles?|fine lines|crow'?s feet|gr[ae]y hairs?|balding|hair loss|double chin|belly fat|love handles|"
         r"muffin top|cellulite|stretch marks|sagging|flabby|overweight|beach body|bikini body|summer body|"
         r"body confidence|signs of (?:ageing|aging)|anti-?(?:ageing|aging)|turn back the clock|years younger)\b"),
        r"\b(?:lose|shed|drop) (?:weight|pounds|the pounds|a dress size|\d+ ?(?:kg|kilos|lbs|pounds))\b",
        r"\b(?:look|looking) (?:old|older|your age|tired|poor|cheap|dated|frumpy|past it)\b",
        r"\blook (?:your best|younger|thinner|slimmer|like you can afford|the part)\b", r"\blook(?:ed)? like you did\b",
        r"\bwish you (?:looked|were|could look)\b",
        (r"\b(?:hate|ashamed of|unhappy with) (?:your|the) (?:body|looks|weight|skin|hair|teeth|smile|photos?|wardrobe|"
         r"home|car)\b"),
        r"\b(?:everyone|people|they|all eyes)(?: \w+){0,3} (?:be |are |is )?(?:looking at|staring at|watching) you\b",
        # Status and social comparison.
        (r"\bwhat (?:people|others|everyone|they|your (?:friends|neighbours|neighbors|family|colleagues|partner)) "
         r"(?:think|thinks|will think|might think|say|will say)\b"),
        r"\bkeep(?:ing)? up (?:appearances|with (?:the |your )?(?:neighbou?rs|friends|joneses|others|everyone))\b",
        r"\bfit in\b(?! (?:your|the|a) (?:budget|month|plans?|schedule|day|wallet|pocket|basket|bag))", r"\bleft out\b",
        r"\bfalling behind\b(?! (?:on|with) (?:your |the )?(?:payments?|repayments?|bills|rent))",
        r"\bcompar(?:e|ing) yourself\b", r"(?<!\bbe )\bthe (?:only one|odd one out) (?:who|without|still|not)\b",
        r"\b(?:impress|wow) (?:your (?:friends|neighbou?rs|colleagues|date|in-laws)|them|people|everyone)\b",
        r"\b(?:turn heads|head-turning|the envy of|status symbol)\b",
        r"\bmake (?:them|everyone|people|your \w+) jealous\b", r"\bnotice you\b",
        r"\b(?:aren'?t|are not|never|not) (?:good|pretty|thin|slim|rich|young|cool|smart|successful) enough\b",
        r"\bcan'?t afford (?:nice|the nice|the good|good) things\b", r"\bcan'?t afford to look\b",
        r"\bthe (?:poor|broke|fat|ugly|old|uncool|boring|single) one\b",
        # Loneliness, self-worth and mood repair.
        r"\blonel(?:y|iness)\b", r"\binvisible\b", r"\b(?:all|so) alone\b",
        (r"\b(?:feel|feeling|felt) (?:wanted|loved|worthy|accepted|invisible|left out|ugly|old|unattractive|inadequate|"
         r"alone|like a failure|judged|small|worthless|unloved|less than|not enough|behind|sad|unhappy|down|low|"
         r"rejected|unwanted)\b"),
        r"\bfeel(?:ing)? like (?:the|a) (?:poor|broke|failure|loser|nobody|outsider)\b",
        r"\b(?:nobody|no one|no-one) (?:notices|loves|cares about|wants) you\b",
        (r"\b(?:stressed|stressful|anxious|anxiety|overwhelmed|depressed|miserable|unloved|worthless|jealous|envious|"
         r"envy|self-esteem|self-worth|desperate)\b"),
        r"\b(?:finally )?be (?:accepted|respected|noticed|loved|admired|envied)\b",
        r"\b(?:boost|regain|restore|get back|rebuild) (?:your )?(?:confidence|self-esteem|self-worth)\b",
        r"\bfeel (?:confident|good about yourself|normal|like yourself) again\b", r"\bfeel better about yourself\b",
        r"\byou(?:'ve)? deserve(?:d)? (?:to (?:feel|be|look)|a (?:treat|break|reward)|it|this|better|nice things)\b",
        r"\b(?:cheer yourself up|retail therapy|lift your (?:mood|spirits)|pick-me-up)\b",
        r"\b(?:bad|rough|hard|long) (?:day|week)\b", r"\b(?:tired|sick) of (?:being|feeling|looking)\b",
        r"\bcan'?t face\b", r"\bsay(?:ing)? no to (?:your|the) (?:kids|children|family)\b",
        r"\b(?:new you|better you|transform your life|change your life|change everything)\b",
        r"\bthe person you (?:want|wish|deserve) to be\b", r"\bescape (?:it all|your worries|reality|your problems)\b",
        # Fear appeals.
        r"\b(?:afraid|scared|terrified|frightened) (?:of|that|what)\b", r"\b(?:fear|dread) of\b",
        (r"\b(?:worried|anxious) (?:what|that (?:people|others|everyone)|about (?:what|how you look|falling|being|"
         r"looking|fitting))\b"),
        r"\bworried (?:that )?you(?:'re| are|'ll| will| might)\b",
        # Money worries, offered credit as the cure.
        r"\b(?:money|debt|bill|cash|financial|payday|rent) (?:worries|worry|stress|troubles|problems|fears|panic)\b",
        r"\bworries about (?:money|bills|debts?)\b", r"\b(?:you'?re|you are|feeling|running) short (?:on|of)\b",
        r"\bshort (?:on|of) (?:cash|money) (?:again|this month|before payday)\b",
        r"\bkeep(?:ing|s)? you (?:up|awake)(?: at night)?\b", r"\b(?:sleepless|lying awake|can'?t sleep)\b",
        (r"\b(?:broke|skint|strapped for cash|cash-strapped|hard up|(?:until|till|before) payday|make ends meet|"
         r"bills? (?:are )?(?:piling|stacking) up|drowning in (?:debt|bills))\b"),
        (r"\b(?:make|makes|making) (?:them|it|those worries|your worries|your problems) (?:all )?(?:disappear|go away|"
         r"vanish)\b"),
        r"\b(?:fix(?:es)?|solves) (?:that|this|everything|it all|all your \w+|your problems)\b",
        r"\b(?:all )?your (?:problems|worries|troubles) (?:are )?(?:over|gone|solved)\b",
        r"\bforget (?:about )?(?:your|the) (?:worries|problems|troubles|bills|debts?)\b",
        r"\bstruggling to (?:keep up|fit in|cope)\b",
        # Worry and stress as the hook (round 4: from the validation split's misses, generalised).
        r"\bcan'?t stop (?:thinking|worrying|stressing)\b", r"\blos(?:e|ing) sleep\b", r"\bweigh(?:s|ing)? on you\b",
        r"\b(?:the|your|that) stress\b(?!-free| out of)", r"\bstress (?:of|about|over)\b",
        (r"\b(?:ease|calm|soothe|quiet|silence|end|banish|beat) (?:the|your|those|that) (?:stress|worr(?:y|ies)|"
         r"anxiety|panic|fears?|nerves)\b"),
        (r"\b(?:nervous|self-conscious|uneasy|uncomfortable|worried|anxious)(?: (?:people|others|everyone|they|"
         r"your \w+))?(?: (?:will|might|would|are|is))? (?:judge|notice|stare|laugh|talk|think)\b"),
        r"\bjudg(?:e|es|ing|ed) (?:your|you)\b", r"\b(?:your|their) confidence back\b",
        r"\b(?:lack(?:ing)?|low|no|zero) (?:confidence|self-belief)\b",
        r"\bfeel (?:more )?confident (?:again|at last)\b",
        (r"\b(?:in front of|around) (?:your )?(?:friends|colleagues|guests|family|everyone|the other parents|the "
         r"neighbou?rs)\b"), r"\bat the school gate\b", r"\bwhere you belong\b", r"\bthe in-?crowd\b",
        r"(?<!\bif )(?<!\bif your )(?<!\bwhen )(?<!\bwhen your )\b(?:money|cash|budget|things)(?:'s| is| are)? (?:tight|stretched)\b",
        r"\b(?:debt|bills?|money|finances|payday) (?:getting|dragging|bringing) you down\b",
        r"\bon your mind\b", r"\b(?:hate|dread) (?:seeing|looking at|what you see)\b", r"\b(?:in|at) the mirror\b",
        # Status signalling and loneliness (round 5: from set A's misses, generalised).
        r"\btells? (?:everyone|people|the world|them|others) (?:you'?ve|you have|you are|you'?re)\b",
        r"\byou'?ve (?:finally )?made it\b", r"\bshow (?:them|everyone|people|the world) (?:who|what|that you)\b",
        r"\b(?:nobody|no one|no-one) to (?:share|talk to|spend|go out with|call|celebrate|come home to)\b",
        r"\b(?:keeps?|keeping) you company\b", r"\bfeels? like (?:company|a friend)\b",
        r"\b(?:spend|spending|another) (?:\w+ )?(?:weekend|evening|night|sunday)s? alone\b",
        r"\bfinally (?:feel|be|look) (?:good enough|happy|confident|attractive|normal|accepted|worth)\b",
        r"\b(?:feeling|feel) the pinch\b", r"\b(?:is|are) (?:your \w+ )?letting you down\b",
        # Debt, dread and panic as the hook; being taken seriously (round 6: from set B's misses, generalised).
        (r"\b(?:buried|drowning|swamped|snowed|sinking|struggling) (?:in|under) (?:\w+ )?(?:debt|bills|balances|"
         r"repayments|money worries|arrears)\b"), r"\bbreathe (?:again|easy|easier)\b",
        r"\bdread(?:ing|ed|s)?\b", r"\bpanic(?:king|ked|s)?\b", r"\b(?:a )?body you\b", r"\bwon'?t (?:want to )?hide\b",
        (r"\b(?:take|takes|taking) (?:away )?(?:the|your) (?:fear|worry|worries|stress|panic|anxiety|shame|"
         r"embarrassment)(?: away)?\b(?! out of)"),
        r"\btake you seriously\b", r"\b(?:flash|flaunt|show off)\b", r"\bfeel (?:\w+ ){0,2}again\b",
        r"\bpayday (?:feels|seems|is) (?:\w+ )?(?:away|far|ages)\b",
        r"\b(?:blend in|stick out|stand out for the wrong reasons)\b", r"\bget noticed\b",
        r"\bcompared (?:to|with) (?:them|others|everyone|your (?:friends|neighbou?rs|colleagues))\b",
        r"\b(?:discreet(?:ly)?|secretly|in secret|on the quiet|on the sly)\b", r"\bget your life back\b",
        (r"\b(?:your|their) (?:home|wardrobe|car|phone|kitchen|look|style|clothes|outfits?|living room|garden|shoes) "
         r"(?:is|are|looks?|seems?) (?:so |a bit |pretty )?(?:embarrassing|dated|tired|shabby|old|sad|cheap|"
         r"out of date|worn|drab|boring)\b"),
        r"\b(?:people|others|everyone)(?:'ll| will| might| would)? (?:notice|stare|laugh|whisper|talk about you)\b",
        # Skin, silence and status (round 7: from set C's misses, generalised).
        r"\bin your own skin\b", r"\bcover up (?:what|the|your|those|that)\b",
        r"\b(?:no one|nobody|no-one) (?:calls|visits|rings|texts|writes|comes)\b",
        r"\b(?:house|home|flat|evenings?|weekends?) (?:is|are|feels?) (?:so )?(?:quiet|empty|silent)\b",
        r"\bsize you up\b", r"\bjudge you by\b", r"\bby what you (?:carry|wear|drive|own)\b",
        r"\bwhat will (?:the|your) [\w-]+ (?:say|think)\b",
        r"\bspares? you the (?:looks|embarrassment|shame|questions)\b",
        r"\b(?:belong again|helps? you belong|sense of belonging)\b",
        r"\b(?:all )?your friends (?:seem to |all )?(?:have|own)\b",
        r"\bbeing seen as\b", r"\bseen as (?:successful|rich|cool|a success|someone)\b", r"\byou'?ve arrived\b",
        r"\bhiding (?:at|in|behind|from)\b", r"\b(?:think|thinks|know|knows) you can'?t afford\b",
        r"\bmore than you can (?:handle|manage|cope with)\b", r"\bbalance (?:hits?|hitting|reach(?:es)?) zero\b",
        r"\b(?:too )?embarrassed to\b",
    ),
    "hidden_terms": (
        # Vague pointers to conditions kept elsewhere (UCPD Art. 7: material information unclear or hidden).
        r"\bT&Cs?\b(?! (?:are )?(?:below|here|attached|in full))", r"\bT'?s? ?(?:and|&) ?C'?s\b",
        (r"\b(?:terms|terms (?:and|&) conditions|conditions|restrictions|exclusions|limitations|exceptions|"
         r"eligibility criteria) (?:may |will |do )?apply\b"),
        r"\bsee (?:T&Cs?|terms(?: (?:and|&) conditions)?|conditions)\b", r"\b(?:on|upon) request\b",
        (r"\bsee (?:the |our )?(?:website|site|app|online|store|in[- ]store|small print|fine print|back|reverse|overleaf|"
         r"below|link|footnotes?|notes?) for (?:full |more )?(?:details|terms|conditions|information|info|pricing|prices|"
         r"fees|costs|rates)\b"),
        r"\b(?:details|terms|pricing|fees|costs|rates) (?:available )?(?:in store|online|elsewhere|at checkout|separately)\b",
        r"\bask (?:in store|us|staff) for (?:details|terms|pricing|rates)\b", r"\b(?:small|fine) print\b", r"\*",
        r"[†‡]", r"\btell you later\b", r"\breserve the right\b",
        r"\bmay (?:vary|change|be (?:changed|withdrawn|amended)) (?:without notice|at any time)\b",
        r"\bsubject to (?:change|conditions|terms)\b",
        # Costs mentioned but not stated (FTC 2022, hidden costs and drip pricing).
        (r"(?<!\bno )(?<!\bno hidden )\b(?:(?:other|additional|extra|hidden|further|some) (?:fees|charges|costs) "
         r"(?:may |might |could |will )?|(?:fees|charges|costs) (?:may|might|could) )(?:apply|change|vary|increase)\b"),
        r"\b(?:calculated|added|shown|confirmed|revealed|applied) (?:at|during) (?:the )?checkout\b",
        r"\bplus (?:fees|charges|admin|a (?:small |modest )?(?:fee|charge)|applicable)\b",
        r"\b(?:or|otherwise) you'?ll be (?:charged|billed)\b", r"\bunless cancel+ed\b",
        # Conditions buried by reference (round 4: from the validation split's misses, generalised; UCPD Art. 7(2)).
        (r"\b(?:see|under|in|per|listed in|set out in|detailed in|explained in|found in|buried in) (?:the |your )?"
         r"(?:appendix|annex|schedule|clause|section \d|paragraph|page \d+|footnotes?)\w*"),
        r"\b(?:clause|section|paragraph|schedule) \d+(?:\([a-z]\))?",
        r"\bwhat you(?:'ll| will)? (?:actually|really) pay\b",
        r"\b(?:not|isn'?t|aren'?t) (?:shown|stated|listed|displayed|mentioned|given|included) here\b",
    ),
}

# Hidden-terms phrases that are vague only when their sentence states no price or rate (and are not
# negated): "Interest applies after 3 months at 29.9% APR" is an honest disclosure, "interest applies
# afterwards" is not (consumer-credit rules: state the APR; FTC ROSCA: state the renewal price).
UNLESS_FIGURE: tuple[str, ...] = (
    (r"\b(?:fees?|charges?|costs?|interest) (?:will )?(?:apply|applies|kicks? in|starts?|begins?|"
     r"(?:(?:is|are|be|gets?) )?(?:added|charged))\b"),
    (r"\b(?:standard|variable|normal|usual|regular|full|higher) (?:APR|rate|interest|price|fee|pricing)s? (?:then )?"
     r"(?:applies|apply|will apply|thereafter|afterwards)\b"),
    r"\b(?:rates?|prices?|fees?|charges?|APR) (?:may|can|could|might) (?:change|vary|increase|rise)\b",
    r"\bno catch\b", r"\brevert(?:s|ing)? to\b", r"\b(?:representative|variable) (?:APR|example|rate)\b",
    (r"\b(?:renews?|renewing|rolls? over) (?:automatically|each (?:month|year)|every (?:month|year)|monthly|annually|"
     r"yearly)\b"),
    r"\bauto-?renew\w*", r"\bautomatic(?:ally)? renew\w*\b", r"\bcharged automatically\b",
    r"\b(?:until|unless) (?:you )?cancel(?:l?ed|s)?\b", r"\byou(?:'ll| will)(?: then)? be (?:charged|billed)\b",
    (r"\b(?:then|afterwards|after that|thereafter) (?:you(?:'ll| will)? )?(?:be )?(?:billed|charged|"
     r"pay the (?:standard|full|regular|usual|normal))\b"),
    (r"(?<!\bno )\b(?:admin(?:istration)?|service|booking|processing|handling|arrangement|set-?up|late(?:[- ]payment)?|"
     r"missed[- ]payment|default|exit|early[- ]repayment|cancellation|convenience) (?:fees?|charges?)\b"),
    r"\b(?:then[- ]current|prevailing|going) (?:price|rate|fee)s?\b",
    r"\bunless you (?:tell us|let us know|opt out|say so|contact us|cancel)\b",
    r"\b(?:continues?|carries on|rolls on) (?:automatically|each (?:month|year)|every (?:month|year)|monthly|annually)\b",
    r"\bsmall (?:monthly |annual |yearly )?(?:fee|charge|cost)\b",
    r"\b(?:fees?|charges?|costs?|interest) (?:may|might|could|can) (?:also )?be (?:added|charged|applied|payable|due)\b",
    r"\b(?:confirmed|revealed|set|decided|disclosed|told) (?:after|once|when) (?:you )?(?:sign|apply|join|accept|buy)\b",
    r"\bongoing (?:charges?|fees?|costs?)\b", r"\bthe amount (?:varies|may vary|changes|depends)\b",
    r"\b(?:deducted|taken|collected|debited) automatically\b",
    r"\b(?:criteria|conditions) and (?:charges|fees) apply\b",
    (r"\b(?:excludes?|excluding|excl\.|not including|does(?:n'?t| not) include) (?:fees|charges|delivery|shipping|"
     r"admin|interest)\b"),
)
# Promotional price claims that mislead unless the message states the rate or price that follows
# (credit rules: "0%" and "interest-free" need the APR; UCPD Annex I point 20 and FTC drip pricing: "free", "€0").
UNLESS_PRICE_STATED: tuple[str, ...] = (
    r"(?<![\w.,])0(?:[.,]0+)? ?%", r"\binterest[- ]free\b", r"\bno interest\b",
    r"\b(?:promotional|introductory|intro|teaser|special) (?:rate|price|APR|period)\b", r"(?<!\w)[€£$] ?0(?![\d.,])",
    r"\bpay nothing (?:today|now|upfront|up front|to start|until|for)\b",
    r"\bnothing to pay (?:today|now|upfront|up front|until)\b", r"\b(?:no|zero) (?:deposit|upfront cost|money down)\b",
    r"\bfree (?:trial|for (?:the first )?(?:\d+|one|two|three) (?:days?|weeks?|months?)|first month)\b",
    r"\bfirst (?:month|year|\d+ months?) free\b", r"\bfree for (?:the )?first (?:\d+ )?(?:days?|weeks?|months?|year)\b",
    r"\bsubject to (?:status|approval|eligibility|affordability|credit (?:checks?|approval)|acceptance)\b",
    # Prices "in the Help Centre" or "on the website" (round 5: from set A's misses, generalised).
    (r"\b(?:pricing|prices?|fees?|costs?|rates?|charges?|APR|interest)(?: information| info| details| table)? "
     r"(?:is |are |can be )?(?:found |available |listed |shown |explained |set out )?(?:in|on|at|via) (?:the|our|your) "
     r"(?:help cent(?:re|er)|FAQs?|website|site|app|account|portal|welcome pack|agreement|contract|terms|small print|"
     r"link|store|branch)\b"),
    r"\bprice on application\b",
    # Terms seen only after signing up, and "free" for a first period (round 6: from set B's misses, generalised).
    r"\bby (?:continuing|signing up|registering|clicking|tapping|proceeding|applying)\b[^.]{0,30}\b(?:accept|agree)",
    (r"\b(?:viewed|seen|shown|available|revealed|sent|provided|read) (?:only )?(?:after|once|when) (?:registration|"
     r"sign-?up|you (?:register|sign up|apply|join))\b"),
    r"\bfree\b[^.]{0,40}\b(?:first|initial|introductory) (?:billing )?(?:period|month|months|year|term)\b",
    r"\b(?:refers|applies) (?:only )?to the first\b",
    r"\b(?:rates?|APR|price|pricing|interest|fees?)\b[^.]{0,30}\b(?:depends?|based) on\b",
    r"\bat (?:our|its) (?:sole )?discretion\b",
    r"\bpricing (?:schedule|table|sheet|guide)\b",
    (r"\b(?:the back|reverse|overleaf) of (?:your|the|this) (?:statement|letter|card|leaflet|page)\b"),
    r"\b(?:required|obliged) to tell you\b",
    r"(?:^|[.!?]\s+)(?:terms|fees|charges|costs|pricing)(?: and (?:terms|fees|charges|costs|conditions))?\?",
    # Pointers to the price elsewhere, in copy that states none (UCPD Art. 7(2): hidden or unclear).
    (r"\b(?:full |more )?(?:details|terms|pricing|prices|fees|costs|rates|conditions|T&Cs) (?:are )?(?:available )?"
     r"(?:in the app|in[- ]store|at (?:our|the) stores?|on (?:our|the) (?:website|site|app)|online)\b"),
)

# A cost word near a hedge, in a sentence that gives no concrete figure: the terms are mentioned but
# kept vague (respectful copy states the number). A negated hedge ("no hidden fees") is not vague.
_COST = r"(?:fees?|charges?|costs?|interest|rates?|APR|prices?|repayments?|terms|conditions|pricing)"
_HEDGE = (
    r"(?<!\bno )(?<!\bwithout )(?:may|might|could|(?<!pay )(?<!pay more )later|afterwards|eventually|unless|usual|"
    r"regular|standard|variable|additional|extra|further|hidden|apply|applies|not included|excluded|vary|varies|"
    r"follow|kick in|separately|elsewhere|undisclosed)"
)
_VAGUE_COST = re.compile(
    rf"\b{_COST}\b(?:\W+\w+){{0,4}}?\W+{_HEDGE}\b|\b{_HEDGE}\b(?:\W+\w+){{0,4}}?\W+{_COST}\b", re.IGNORECASE
)
# A non-zero rate or amount that is a cost ("29.9%", "€45", "£4.99"); "0%" and "€0" state no cost, and nor
# do a discount, cashback or credit limit ("15% off", "3% back", "a €50 basket", "up to €1,000").
_FIGURE = re.compile(
    r"(?<!up to )(?:(?<![\w.,])\d*[1-9][\d.,]*\s?%|[€£$]\s?[\d.,]*[1-9][\d.,]*(?!\d)|(?<![\w.,])\d*[1-9][\d.,]*\s?[€£$])"
    r"(?!\s*(?:off|back|cash ?back|of spending|basket|order|spend)\b)",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# A negation just before a conditional phrase ("no admin fees", "won't renew automatically").
_NEGATED = re.compile(r"\b(?:no|not|without|never|zero|won't|don't|doesn't|isn't|aren't)\b(?:\W+\w+){0,3}\W*$",
                      re.IGNORECASE)

"""The reviewer's rules: one list of regular expressions per label, plus one structural rule.

Kept apart from the reviewer's logic so a facilitator can read (and adapt)
them as a table. How they were written and how well they do on held-out copy
is documented in :mod:`ethicskit.audit._messages`.
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

_GROUPS = (
    r"mums?|moms?|mothers?|dads?|fathers?|ladies|lady|girls?|boys?|guys|gents|gentlemen|men|women|wom[ae]n|"
    r"wifey|hubby|"
    r"wives|husbands?|housewi(?:fe|ves)|grand(?:parents?|mas?|pas?|mothers?|fathers?|kids)|granny|"
    r"seniors?|elderly|pensioners?|retirees?|old(?:er)? (?:folks|people|customers)|boomers?|millennials?|"
    r"gen ?z|teens?|teenagers?|students?|young people|youngsters"
)

RULES: dict[str, tuple[str, ...]] = {
    "false_urgency": (
        r"\bhurry\b", r"\bact (?:fast|now|quickly|today)\b", r"\blast chance\b",
        r"\bfinal (?:reminder|call|hours?|notice|warning|days?)\b", r"\bdon'?t (?:miss out|wait)\b",
        r"\bdo not (?:miss out|wait)\b", r"\bmiss(?:ing)? out\b",
        (
            r"\b(?:ends|ending|expires|expiring|closes|closing|gone|over) (?:at midnight|tonight|today|soon|"
            r"in (?:\d+|a few|one|two) (?:minutes?|hours?))\b"
        ),
        r"\bat midnight\b", r"\b(?:tonight|today) only\b", r"\bonly (?:today|tonight)\b",
        r"\bonly \d+ (?:left|places|spots|items|hours?|minutes?|remaining|to go)\b",
        r"\b\d+ (?:minutes?|hours?) (?:left|to go|remaining)\b",
        r"\b(?:in|within) (?:the next )?\d+ minutes?\b", r"\bin the next (?:\d+|few) hours?\b",
        r"\b(?:almost|nearly|practically) (?:sold out|gone)\b", r"\bselling (?:out )?fast\b",
        r"\bgone forever\b", r"\b(?:never|won'?t) (?:be )?(?:back|again|last)\b",
        r"\bdisappears? (?:in|at|tonight|today|soon|after|forever)\b",
        r"\bcountdown\b", r"\bclock is ticking\b", r"\btime is running out\b", r"\brunning out\b",
        r"\blimited[- ]time\b", r"\bbefore it'?s (?:gone|too late)\b", r"\bnow or never\b",
        r"\bwhile (?:stocks?|supplies) last\b", r"\b(?:grab|claim|tap|snap up|secure) (?:it|yours|this|them)? ?now\b",
        r"\burgent(?:ly)?\b", r"\bexpires? today\b",
        r"\bonce it'?s gone\b", r"\bhigh demand\b", r"\bonly a few (?:left|hours|places)\b",
        r"\bflash sale\b", r"\b(?:\d+|twenty-four|forty-eight)[- ]hours? only\b", r"\bbe quick\b", r"\bquick!",
        r"\bdon'?t delay\b", r"\b(?:last|final) day\b", r"\blimited (?:stock|supply|availability|places|spots)\b",
        r"\b(?:few|handful) (?:left|remaining)\b", r"\bbefore midnight\b", r"\btick[- ]?tock\b",
        r"\bseconds? (?:left|to go)\b", r"\bgoing fast\b", r"\bonce[- ]in[- ]a[- ]lifetime\b",
        r"\blast (?:few|remaining) (?:hours|places|spots|items|days)\b", r"\bexpir(?:es|ing) (?:soon|shortly)\b",
        r"\b(?:only|just) \d+ \w+ (?:left|remain|remaining)\b", r"\bfirst come,? first served\b",
        r"\b(?:demand is high|stock is low)\b", r"\bbefore (?:someone|somebody|anyone) else\b", r"\btimer\b",
        r"\b(?:this |one[- ])?(?:weekend|week|day) only\b", r"\b(?:sale|offer|deal) ends\b",
        r"\b(?:ends|ending|closes|closing) (?:today|tonight|soon|shortly|at \d|at midnight)\b",
        r"\bwhile you (?:still )?can\b", r"\bbefore (?:prices?|the price|it) (?:goes? up|rises?|increases?)\b",
        r"\bprices? (?:rise|go up|goes up|increases?) (?:tomorrow|soon|tonight)\b", r"\blast call\b", r"\bthe last one (?:left|available)\b",
        r"\bgoing,? going\b", r"\bdeadline\b", r"\brush (?:now|in|to|before)\b", r"\basap\b",
        r"\bdecide (?:now|today|quickly|fast)\b", r"\bwithout (?:delay|waiting)\b", r"\b(?:24|48|72) ?h(?:rs?|ours?)?\b",
        r"\bnow!", r"\bgone for good\b", r"\blose (?:it|this|them|your \w+) (?:forever|for good)\b", r"\bor lose it\b",
    ),
    "shaming": (
        r"\b(?:careless|lazy|irresponsible|foolish|stupid|silly|clueless|hopeless|pathetic|naive)\b",
        (
            r"\b(?:smart|sensible|savvy|clever|wise|responsible|real|proper|serious) "
            r"(?:shoppers|people|customers|adults|grown-?ups|families|parents)\b"
        ),
        r"\beveryone (?:sensible|smart|else|serious|with sense) (?:already|has|knows|is)\b",
        r"\bdon'?t be the (?:one|only one|last)\b", r"\bleft behind\b",
        r"\b(?:could|should) be doing (?:much |so much |a lot )?better\b",
        r"\bbetter than you\b", r"\bunlike you\b", r"\bstill paying full price\b",
        r"\ba (?:good|real|proper|decent|caring) (?:provider|parent|mum|mom|dad|mother|father|partner)\b",
        r"\bprove (?:you'?re|that you'?re|yourself)\b", r"\b(?:people|those|shoppers|customers|anyone) who (?:get it right|know better|have it together)\b",
        r"\bwhat (?:are|were) you thinking\b", r"\b(?:grow up|wake up)\b",
        r"\bshame on\b", r"\byou(?:'re| are) (?:falling|lagging) short\b",
        r"\b(?:only|just) (?:amateurs|losers|fools)\b", r"\bbehind the times\b",
        r"\bno excuse\b", r"\bembarrassing(?:ly)?\b", r"\bwhy haven'?t you\b", r"\bwhat'?s your excuse\b",
        r"\b(?:about|high) time you\b", r"\bget your act together\b", r"\bsort (?:yourself|your life) out\b",
        r"\b(?:bad|terrible|hopeless|useless) (?:with|at) money\b", r"\bpoor (?:choices|decisions)\b",
        r"\bare you (?:really )?still\b", r"\bcome on\b",
        r"\b(?:people|those|shoppers|customers) who (?:plan ahead|think ahead|care|know what they'?re doing)\b",
        (
            r"\byou(?:'re| are| look| seem| sound)(?: so| really| still| just)? (?:careless|lazy|foolish|clueless|"
            r"behind|outdated|old-fashioned|basic|average|cheap|disorgani[sz]ed|reckless|wasteful|sloppy|naive|"
            r"out of touch|embarrassing|a mess|immature)\b"
        ),
        r"\b(?:people|someone|customers) like you\b", r"\bdon'?t settle for\b", r"\bsecond[- ]best\b",
        r"\bstop wasting\b", r"\bwasting your (?:money|time)\b", r"\bdoing it (?:all )?wrong\b",
        r"\bjoin the (?:winners|grown-?ups|smart|successful|sensible)\b",
        r"\b(?:successful|organi[sz]ed|mature|switched-on|with-it) (?:people|shoppers|adults|customers|families|folk)\b",
        r"\b(?:average|ordinary|basic) (?:shoppers?|people|customers|folk)\b",
        r"\bonly (?:idiots|fools|amateurs|beginners|newbies)\b", r"\bembarrass yourself\b", r"\bcatch up\b",
        r"\byou'?re better than (?:that|this)\b", r"\bstill (?:using|shopping|paying|stuck|living)\b[^.!?]*\?",
        r"\bcheapskates?\b", r"\bonly a fool\b", r"\byou can do better\b", r"\bact your age\b",
        (
            r"\b(?:be|become) a (?:good|responsible|real|proper|better|grown-?up) "
            r"(?:parent|provider|mum|mom|dad|adult|partner|shopper)\b"
        ),
    ),
    "stereotyping": (
        (
            rf"\b(?:{_GROUPS})\b(?:,)? (?:love|loves|like|hate|always|never|can'?t|don'?t|do not|are|need|want|"
            r"struggle|treat)\b"
        ),
        (
            rf"\b(?:for|calling all|attention|hey|dear|busy|every|all|real|young|old|typical|most)(?: the)? (?:busy )?"
            rf"(?:{_GROUPS})\b"
        ),
        rf"\b(?:{_GROUPS}) who (?:find|can'?t|cannot|struggle|don'?t|never|always|hate|love)\b",
        r"\bfinds? (?:apps|technology|tech|computers|phones|online banking) (?:confusing|hard|difficult|scary)\b",
        r"\bover[- ]?(?:50|60|65|70)s\b", r"\bat your age\b", r"\b(?:man|woman|lady) of the house\b",
        r"\b(?:female|male) (?:shoppers|customers|readers|buyers)\b",
        rf"^(?:{_GROUPS})\b[,!]", rf"\b(?:{_GROUPS})\b[,!?]",
        rf"\beven (?:your |the )?(?:{_GROUPS})\b",
        (
            rf"\b(?:{_GROUPS}|lads|blokes|fellas|chaps|gals|grannies|aunties|homemakers|OAPs|young adults|"
            rf"twenty-somethings|the older generation|kids these days)\b(?!['’]s?\b)(?! (?:and|&) (?:{_GROUPS})['’]s?\b)"
        ),
        r"\bstruggles? with (?:technology|tech|computers|phones|apps|money|maths)\b",
        r"\beasy enough for (?:anyone|someone|people) who\b",
        r"\b(?:retired|pensioner|student|single mum|single mother)\?",
        r"\b(?:girly|manly|like a (?:girl|man)|man up|for (?:her|him) only)\b",
        r"\bas a (?:woman|man|mum|mom|dad|mother|father|senior|student|pensioner)\b",
    ),
    "exploiting_insecurity": (
        r"\bembarrass(?:ed|ing|ment)\b", r"\bashamed\b", r"\bhumiliat\w*\b",
        r"\blonel(?:y|iness)\b", r"\binvisible\b",
        (
            r"\b(?:not|never) (?:happy|good enough|confident|comfortable) (?:with|about|in) "
            r"(?:how you look|yourself|your (?:body|looks|skin|weight|home|life|appearance))\b"
        ),
        r"\bhow you look\b", r"\byour (?:looks|body|weight|appearance|wrinkles|flaws)\b",
        r"\b(?:insecure|insecurit(?:y|ies)|self-conscious|inadequate|unattractive|ugly)\b",
        r"\b(?:afraid|scared|terrified|frightened) (?:of|that|what)\b",
        (
            r"\b(?:worried|anxious) (?:what|that (?:people|others|everyone)|about (?:what|how you look|falling|being|"
            r"looking|fitting))\b"
        ),
        r"\bfeel (?:confident|good about yourself|normal|like yourself) again\b",
        r"\b(?:fear|dread) of\b", r"\bfalling behind\b",
        (
            r"\bwhat (?:people|others|everyone|your (?:friends|neighbours|neighbors|family)) "
            r"(?:think|thinks|will think|say|will say)\b"
        ),
        r"\bkeep(?:ing)? up (?:appearances|with (?:the |your )?(?:neighbou?rs|friends|joneses|others))\b",
        r"\b(?:money|debt|bill|cash|financial) (?:worries|worry|stress|troubles|problems|fears)\b",
        r"\bkeep(?:ing|s)? you (?:up|awake) at night\b", r"\bsleepless\b",
        r"\b(?:make|makes|making) (?:them|it|those worries|your worries|your problems) (?:disappear|go away|vanish)\b",
        r"\b(?:nobody|no one|no-one) (?:has|needs|will have) to know\b", r"\byou'?re short\b",
        (
            r"\b(?:feel|feeling|felt) (?:wanted|loved|worthy|accepted|invisible|left out|ugly|old|unattractive|"
            r"inadequate|alone|like a failure|judged|small|worthless|unloved)\b"
        ),
        r"\b(?:people|they|everyone|others) (?:will )?(?:finally )?notice you\b", r"\bnotice you\b",
        r"\bfit in\b", r"\b(?:finally )?be (?:accepted|respected|noticed|loved|admired|envied)\b",
        r"\byou deserve to feel\b", r"\b(?:fixes|solves) (?:that|this|everything|it all)\b",
        (
            r"\b(?:stressed|stressful|anxious|anxiety|overwhelmed|depressed|miserable|unhappy|sad|rejected|"
            r"unwanted|unloved|jealous|envious|envy|self-esteem)\b"
        ),
        r"\b(?:bad|rough|hard|long) (?:day|week)\b", r"\bescape (?:it all|your worries|reality|your problems)\b",
        r"\bforget (?:about )?(?:your|the) (?:worries|problems|troubles|bills|debts?)\b", r"\bnew you\b",
        r"\btransform your life\b", r"\bthe person you (?:want|wish|deserve) to be\b",
        r"\bcan'?t afford to look\b", r"\bleft out\b", r"\bcompar(?:e|ing) yourself\b",
        r"\b(?:aren'?t|are not|never|not) (?:good|pretty|thin|rich|young|cool|smart|successful) enough\b",
        r"\bfix(?:es)? everything\b", r"\bthe only one (?:who|without|still)\b",
        r"\bcan'?t afford (?:nice|the nice|the good|good) things\b", r"\btired of (?:being|feeling|looking)\b",
        r"\bhide (?:your|the|those) (?:money|debt|financial|spending|credit)\b", r"\bbroke\b", r"\bdesperate\b",
        r"\bbefore anyone (?:notices|finds out|sees)\b", r"\b(?:people|they)(?:'re| are) talking\b",
        r"\bdon'?t let (?:them|anyone|people|others) see\b", r"\bfeel better about yourself\b",
        r"\b(?:cheer yourself up|retail therapy|lift your mood)\b",
        r"\b(?:no one|nobody|no-one) will (?:know|notice|find out)\b",
        r"\bstruggling to (?:keep up|fit in|cope)\b", r"\b(?:look|looking) (?:old|tired|poor|cheap|dated)\b",
        r"\bchange everything\b", r"\bchange your life\b", r"\bjudg(?:e|ed|ing) you\b",
    ),
    "hidden_terms": (
        r"\bT&Cs?\b(?! (?:are )?(?:below|here|attached|in full))", r"\bterms (?:apply|may apply|on request)\b",
        r"\bsee terms\b", r"\b(?:conditions|restrictions|exclusions) (?:may )?apply\b",
        (
            r"(?<!\bno )(?<!\bno hidden )\b(?:other |additional |extra |hidden |further )?(?:fees|charges|costs) (?:may )?"
            r"(?:apply|change|vary|increase)\b"
        ),
        r"\b(?:rates?|prices?|fees?|charges?|APR) (?:(?:may|can|could|might) )?(?:change|vary|increase|rise)\b",
        r"\btell you later\b", r"\b(?:or|otherwise) you'?ll be (?:charged|billed)\b",
        r"\bon request\b", r"\b(?:small|fine) print\b", r"\brenews? automatically\b", r"\bauto-?renew",
        r"\bunless cancel+ed\b", r"\bno catch\b", r"\bsubject to (?:status|approval|change|conditions|terms)\b",
        r"\bpromotional rate\b", r"\bstandard (?:APR|rate|price|fee)s? (?:applies|apply|will apply)\b",
        r"\b(?:just|only) €0\b", r"\bpay nothing (?:today|now|upfront|up front|to start)\b",
        r"\b€0 (?:today|upfront|up front|to start|down)\b", r"\*",
        r"\bdetails (?:available )?(?:on request|in store|online|elsewhere)\b",
        r"\bsee (?:website|our website|app|online) for (?:details|terms|conditions)\b",
        r"\b(?:fees?|charges?|interest) (?:apply|applies|kicks? in|starts?) after\b",
        r"\bterms (?:and|&) conditions (?:may )?apply\b", r"\bT'?s? ?(?:and|&) ?C'?s\b",
        r"\bsee (?:the )?(?:store|small print|back|reverse|below) for (?:details|terms|conditions|full terms)\b",
        r"\bask (?:in store|us) for (?:details|terms)\b", r"\bmay (?:vary|change) without notice\b",
    ),
}

# A cost word near a hedge, in a sentence that gives no concrete figure: the
# terms are mentioned but kept vague (respectful copy states the number).
_COST = r"(?:fees?|charges?|costs?|interest|rates?|APR|prices?|repayments?|terms|conditions|pricing)"
_HEDGE = (
    r"(?:may|might|could|(?<!pay )later|afterwards|eventually|unless|usual|regular|standard|variable|additional|"
    r"extra|further|other|hidden|apply|applies|not included|excluded|vary|varies|follow|kick in|"
    r"separately|elsewhere|undisclosed)"
)
_VAGUE_COST = re.compile(
    rf"\b{_COST}\b(?:\W+\w+){{0,4}}?\W+{_HEDGE}\b|\b{_HEDGE}\b(?:\W+\w+){{0,4}}?\W+{_COST}\b", re.IGNORECASE
)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s?%|€\s?\d|\d\s?€")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")

_COMPILED = {label: re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
             for label, patterns in RULES.items()}

"""Phrase banks for the marketing_messages dataset (content, not code).

Each label has TRAIN templates and separate HOLDOUT templates: no template,
and no trigger phrase, is shared between the two, so a rule-based reviewer
written on the train rows is evaluated honestly on the holdout rows. Harmful
templates describe a manipulation pattern; none uses a slur or targets a
protected group with hostility. The stereotyping rows are deliberately mild
(assuming interests from gender or age) and every row carries its rationale.

A template is ``(text, rationale, offers)``; ``offers`` limits it to the offers
it reads naturally with (empty means all three).
"""

from __future__ import annotations

PRODUCTS = {
    "premium_card_upgrade": "the Harbour Lane Premium Card",
    "bnpl_high_apr_push": "Harbour Flex",
    "discount_voucher": "your welcome-back voucher",
}
PERKS = {
    "premium_card_upgrade": ("3% back on every shop", "free next-day delivery all year", "extended 90-day returns"),
    "bnpl_high_apr_push": ("payments spread over 12 months", "a 30-day payment holiday",
                           "up to €1,000 of spending power"),
    "discount_voucher": ("15% off your next order", "€10 off a €50 basket", "free delivery on your next order"),
}
COSTS = {
    "premium_card_upgrade": "a €45 annual fee",
    "bnpl_high_apr_push": "29.9% APR once the 3-month promotion ends",
    "discount_voucher": "nothing, valid for one order within 30 days",
}
PREMIUM, BNPL, VOUCHER = "premium_card_upgrade", "bnpl_high_apr_push", "discount_voucher"
CREDIT = (PREMIUM, BNPL)

TRAIN = {
    "respectful": [
        ("{Product} gives you {perk}. Cost: {cost}. Read the full terms before you decide.",
         "States the benefit and the cost plainly and invites an informed choice.", ()),
        (("Based on your recent orders, {product} may suit you: {perk}. This offer stays open for 30 days, "
          "so take your time."), "Explains why it is shown and gives a real, unpressured time frame.", ()),
        (("We're showing you this because you shop with us often. {Perk} with {product}. You can switch off "
          "offers like this in Settings."), "Says why the offer appears and how to turn such offers off.", ()),
        ("Thinking about {product}? Here is what you get ({perk}) and what it costs ({cost}).",
         "Puts the benefit and the full cost side by side.", ()),
        (("{Perk} with {product}. If it isn't right for you, simply ignore this message; nothing changes on "
          "your account."), "Makes declining easy and consequence-free.", ()),
        ("A quick note about {product}: {perk}. Cost: {cost}. Questions? Our team is happy to help.",
         "Informative, discloses the cost and offers help.", ()),
        ("Compare before you choose: {product} offers {perk} for {cost}.",
         "Encourages comparison and discloses the price.", CREDIT),
        ("Here's why you're seeing {product}: you ordered from us several times this year. {Perk}; {cost}.",
         "Transparent about the personalization and the cost.", ()),
        ("Please check {product} fits your budget first. It includes {perk} and costs {cost}.",
         "Prompts the reader to consider affordability before deciding.", CREDIT),
    ],
    "false_urgency": [
        ("Only 2 hours left to get {product}! Act now before it's gone.",
         "Invents a two-hour deadline to rush the decision.", ()),
        ("Hurry! {Perk} ends at midnight tonight. Don't miss out!",
         "Manufactured midnight deadline and fear of missing out.", ()),
        ("Last chance: {product} disappears in 15 minutes.",
         "A fake countdown pressures an immediate decision.", ()),
        ("Only 3 places left for {product}. Claim yours now!",
         "False scarcity: the offer is not limited to three people.", ()),
        ("Countdown on: {perk} expires today. Tap now.",
         "Artificial same-day expiry to cut reflection short.", ()),
        ("Final reminder! {Product} is gone forever after today.",
         "Claims permanent loss to force a same-day choice.", ()),
        ("Act fast: {perk} is almost sold out. Grab it now!",
         "Invented stock pressure for an offer that cannot sell out.", ()),
    ],
    "shaming": [
        ("Still paying full price? Smart shoppers switched to {product} long ago.",
         "Implies the reader is less clever than other shoppers.", ()),
        ("Everyone sensible already has {product}. Don't be the one left behind.",
         "Implies the reader is foolish unless they comply.", CREDIT),
        ("A good provider doesn't let their family go without. Get {perk} with {product}.",
         "Suggests the reader is failing their family if they decline.", ()),
        ("Other customers manage their money better than you. Catch up with {product}.",
         "Tells the reader they are worse with money than others.", CREDIT),
        ("Only careless shoppers ignore {perk}.",
         "Labels anyone who declines as careless.", ()),
        ("Be honest: you could be doing much better. {Product} is for people who get it right.",
         "Implies the reader is getting life wrong.", ()),
        ("Real grown-ups plan their spending. Prove you're one with {product}.",
         "Questions the reader's maturity to push the offer.", CREDIT),
    ],
    "stereotyping": [
        ("So simple even your grandparents could use {product}.",
         "Assumes older people cannot handle technology (age stereotype).", ()),
        ("Dads love gadgets! Get {perk} with {product}.",
         "Assumes interests from gender; offers should follow the person's own behavior.", ()),
        ("Perfect for busy mums: {perk} with {product}.",
         "Assumes who does the family shopping from gender.", ()),
        ("Ladies, treat yourselves: {product} now comes with beauty and fashion picks.",
         "Assumes beauty and fashion interests from gender.", ()),
        ("Retired? {Product} is easy enough for anyone who struggles with technology.",
         "Equates retirement with struggling with technology (age stereotype).", ()),
        ("Guys don't do shopping lists, so {product} comes with sports-gear deals.",
         "Assumes habits and interests from gender.", ()),
        ("Students are always short of cash, so {product} is made for you.",
         "Assumes money habits from age or life stage.", ()),
    ],
    "exploiting_insecurity": [
        ("Worried what people think of your home? {Product} helps you keep up appearances.",
         "Plays on fear of social judgement to sell.", ()),
        ("Feeling invisible? {Perk} will finally make people notice you.",
         "Exploits loneliness and a need for recognition.", ()),
        ("Afraid of falling behind everyone else? {Product} fixes that.",
         "Feeds status anxiety and promises to relieve it.", ()),
        ("Money worries keeping you up at night? {Product} makes them disappear.",
         "Targets financial anxiety and misrepresents credit as relief.", CREDIT),
        ("Not happy with how you look? {Perk} could change everything.",
         "Plays on body-image insecurity.", ()),
        ("Lonely evenings? Treat yourself with {product}; you deserve to feel wanted.",
         "Exploits loneliness to prompt spending.", ()),
        ("Embarrassed at the checkout? With {product} nobody has to know you're short.",
         "Exploits shame about money to push credit.", CREDIT),
    ],
    "hidden_terms": [
        ("Pay nothing today with {product}!* (*conditions apply)",
         "Hides the real cost behind an asterisk.", CREDIT),
        ("{Perk} with {product}. Charges may change; see terms.",
         "Vague about charges and where to find them.", ()),
        ("Free upgrade to {product}! Fees apply after the first month (small print).",
         "Calls it free while burying the recurring fee.", (PREMIUM,)),
        ("No interest* with {product}. *Promotional rate; standard APR applies afterwards, details on request.",
         "Headline 'no interest' hides a high APR that follows.", (BNPL,)),
        ("{Perk}, no catch!** **Renews automatically at full price unless cancelled.",
         "Denies a catch, then hides an auto-renewal in a footnote.", ()),
        ("Get {perk} today. Full T&Cs available on request.",
         "Withholds the conditions unless the reader asks.", ()),
        ("Just €0 to start with {product}. Other fees may apply.",
         "Leads with a zero price and leaves the fees unstated.", CREDIT),
    ],
}

HOLDOUT = {
    "respectful": [
        (("An option you might find useful: {perk} with {product}. The price is {cost}; saying no changes "
          "nothing."), "Clear price and an explicit, free choice to decline.", ()),
        ("Your account is eligible for {product}. Details, charges and how to cancel are all on one page.",
         "Points to complete, easy-to-find terms including cancellation.", ()),
        ("Only if it helps: {product} comes with {perk}. Make sure it suits your budget ({cost}).",
         "Frames the offer as optional and flags affordability.", CREDIT),
        (("We picked this from your order history, and you can turn personalised offers off at any time. "
          "{Perk} with {product}."), "Discloses the personalization and the opt-out.", ()),
        ("Plain and simple: {product}, {perk}, {cost}. Reply STOP to end these messages.",
         "Short, complete and easy to opt out of.", ()),
    ],
    "false_urgency": [
        ("Reserved for you: {product}, but only for the next 10 minutes.",
         "A fake reservation timer creates pressure to act at once.", ()),
        ("Decide within the hour or lose {perk} for good.",
         "An arbitrary one-hour ultimatum.", ()),
        ("Ticking clock! {Perk} vanishes at 9pm, so don't wait.",
         "Invented evening cut-off to rush the reader.", ()),
        ("Going, going... {product} closes before the weekend. Be quick!",
         "Auction-style pressure with an invented closing time.", ()),
    ],
    "shaming": [
        ("Good parents plan ahead. Are you one of them? {Product} can help.",
         "Implies the reader may be a bad parent unless they sign up.", ()),
        ("No wonder you're behind; you still haven't tried {product}.",
         "Blames and belittles the reader.", ()),
        ("People who succeed don't hesitate. Show you're one of them with {product}.",
         "Implies hesitation means failure.", ()),
        ("Most of our customers figured this out ages ago. What's keeping you from {perk}?",
         "Implies the reader is slow compared with others.", ()),
    ],
    "stereotyping": [
        ("Made for the men who love their tools: {perk} with {product}.",
         "Assumes interests from gender.", ()),
        ("Girls just want to shop: {product} gives you {perk}.",
         "Reduces a gender to a shopping cliché.", ()),
        ("Seniors: no need to understand apps, {product} is foolproof at your age.",
         "Assumes ability from age.", ()),
        ("Twenty-somethings only care about trends, so we picked {perk} for you.",
         "Assumes taste from age.", ()),
    ],
    "exploiting_insecurity": [
        ("Ashamed of your old phone at the dinner table? Replace it with {product}.",
         "Manufactures embarrassment about possessions.", ()),
        ("Tired of feeling like the odd one out at the school gate? {Product} helps.",
         "Plays on fear of social exclusion.", ()),
        ("Can't stop thinking about that bill? Let {product} quiet the stress.",
         "Targets financial distress and frames spending as relief.", CREDIT),
        ("Nervous people will judge your outfit? {Perk} gives you your confidence back.",
         "Plays on appearance anxiety.", ()),
    ],
    "hidden_terms": [
        ("Nothing to pay until spring! Late fees and charges are listed in the appendix to your agreement.",
         "Buries fees in an appendix instead of stating them.", CREDIT),
        ("Enjoy {perk}; a membership charge is added later under clause 14(b).",
         "Mentions a later charge only by clause number, not amount.", (PREMIUM, VOUCHER)),
        ("{Product}: see page 7 of the agreement for what you will actually pay.",
         "Sends the reader to page 7 for the real price.", CREDIT),
        ("Enjoy {perk} instantly. The rate after the intro period is not shown here.",
         "Omits the rate that applies after the promotion.", CREDIT),
    ],
}

# Rows per label and split (300 in all, about 30% holdout).
COUNTS = {"respectful": (60, 25), **{label: (30, 13) for label in TRAIN if label != "respectful"}}

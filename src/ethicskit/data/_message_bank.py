"""Phrase banks for the marketing_messages dataset (content, not code).

Each label has TRAIN and VALIDATION templates here; set D (``_message_set_d``) also belongs to the
validation split, and set E (``_message_set_e``) is the holdout. No template, and no three-word phrase
outside the slots, is shared between splits of a label, so a reviewer written or fitted from the train
and validation rows is evaluated honestly on the holdout rows.

VALIDATION holds the first holdout (scored three times, then opened to rule
writing) and sets A, B and C, each written by a separate author who never saw
the reviewer's rules and each used once as the holdout before joining
validation. Set D was written the same way and scored the rules once (round 7)
before joining validation; set E, by another author who saw neither the rules
nor the learned model, is used only to score the reviewer. Harmful templates
describe a manipulation pattern; none
uses a slur or targets a protected group with hostility. The stereotyping rows
are deliberately mild (assuming interests from gender or age) and every row
carries its rationale.

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

VALIDATION = {
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
        # Set A.
        ("{Product} at a glance: {perk}. Charges: {cost}. Everything else is in the linked terms if you want "
         "the detail.",
         "Summarises the benefit, states the charges and links the complete terms.", ()),
        ("You've bought from our home range a few times lately, which is why we're mentioning {product}. "
         "It includes {perk}.",
         "Explains which shopping history prompted the suggestion, with no pressure.", ()),
        ("You can get {perk} with {product} until 31 March. There's no need to reply, and the offer will "
         "still be here next week.",
         "Gives a genuine end date and makes clear there is no rush.", ()),
        ("Before applying for {product}, it's worth working out whether it sits comfortably within your "
         "monthly budget. Its main benefit is {perk}; it costs {cost}.",
         "Encourages an affordability check and discloses the full cost.", CREDIT),
        ("Prefer fewer emails from us? Choose 'offers off' in your preferences. If you'd like to hear more, "
         "{product} now includes {perk}.",
         "Leads with how to reduce marketing, then describes the offer plainly.", ()),
        ("Happy to talk {product} through by phone or in store: {perk}, plus every cost and how cancelling works.",
         "Offers personal help covering benefits, costs and cancellation.", CREDIT),
        # Set B.
        (("Going by what you've bought recently, {perk} could be handy. {Product} is there should you want it, "
          "no deadline."),
         "Explains the personalization and puts no time pressure on the reader.", ()),
        (("An option for regular shoppers: {product} includes {perk} and comes with {cost}. "
          "The complete terms and conditions are linked below this message."),
         "States the benefit, the real cost and where the complete terms are.", CREDIT),
        (("Before taking on any credit, it's worth checking what you can comfortably repay each month. "
          "If {product} still makes sense for you, it offers {perk}, and the cost is {cost}."),
         "Encourages an affordability check and discloses the cost.", CREDIT),
        (("This reached you because you opted in to offer emails. {Product} includes {perk}; you can "
          "sign up until 30 April."), "Says why the message was sent and gives a real end date.", ()),
        (("Would {perk} be useful? {Product} includes it. Not interested? Tap 'no thanks' and we won't show "
          "this offer again."), "Asks rather than pushes and makes declining simple.", ()),
        (("{Perk} with {product}. Every fee and rate is listed right next to the sign-up button, in the "
          "same size text."), "Puts all charges in plain view beside the sign-up step.", CREDIT),
        (("Hello again. Since you've been buying home goods lately, we thought {perk} through {product} might "
          "be relevant. Happy browsing."), "Friendly, explains the reason for the suggestion, no pressure.", ()),
        (("{Product} isn't for everyone. If you tend to carry a balance, the interest ({cost}) can outweigh "
          "{perk}."), "Candidly warns who the product may not suit and states the rate.", (BNPL,)),
        (("Thanks for shopping with Harbour Lane. {Product} offers {perk} through to the end of the month; to "
          "stop getting offer emails, use the unsubscribe link."),
         "Gives a genuine time frame and an easy way to stop such emails.", ()),
        (("Got a question about {product} or {perk}? Chat to our team first; we'll explain how "
          "it works, including anything you'd pay."), "Invites questions and promises an open account of costs.", ()),
        # Set C.
        ("Subject: what {product} includes. In short, {perk}. What you'd pay: {cost}. Full details are a single "
         "click away.",
         "Summarises the benefit and the price and links the complete terms.", ()),
        ("Why this message? Over the last few months you've browsed our kitchenware pages, so you may "
         "like {product}: {perk}.",
         "Explains which browsing history led to the suggestion.", ()),
        ("{Perk} is available with {product} up to and including 15 May. After that date the offer closes as "
         "normal.",
         "Gives a genuine closing date without pressure.", CREDIT),
        ("Only apply for {product} if the repayments fit comfortably alongside your other bills. It offers "
         "{perk}. Total charges: {cost}.",
         "Asks the reader to check affordability and states the price.", CREDIT),
        ("Not interested? Unsubscribe from offer emails with one tap at the foot of this message. Otherwise, "
         "here's the news: {product} now offers {perk}.",
         "Shows how to opt out before describing the offer plainly.", ()),
        ("{Product} explained: {perk}, a yearly charge of €45, and the option to cancel whenever you like, "
         "free of charge.",
         "Lists the benefit, the yearly charge and free cancellation.", (PREMIUM,)),
        ("Here are the facts on {product}, so you can weigh it up in your own time: it offers {perk} and costs "
         "{cost}.",
         "Gives the benefit and cost and leaves the decision to the reader.", ()),
        ("Our store colleagues can walk you through {product}, including {perk}, at any Harbour Lane branch. "
         "Drop in whenever suits you.",
         "Offers in-person help with no time pressure.", ()),
        ("A reminder you asked for: {product} with {perk} is still available. You set up this alert in your "
         "account; removing it takes a second.",
         "Explains the reader requested the alert and how to remove it.", ()),
        ("{Perk} with {product}. The rate: {cost}. A worked repayment example below shows the "
         "total you'd repay.",
         "States the rate and shows a worked example of the total repaid.", (BNPL,)),
        ("Good news for regular customers: {perk}, courtesy of {product}. Nothing is charged to your account "
         "unless you choose to use it.",
         "Describes the voucher and confirms there is no charge.", (VOUCHER,)),
        ("Hello again. It's been a while since your last order, so we've sent {product}: {perk}. It can be "
         "used once, any time in the next 30 days.",
         "Explains why the voucher was sent and its real validity period.", (VOUCHER,)),
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
        # Set A.
        ("Demand for {perk} is through the roof: 347 shoppers near you claimed it this morning.",
         "Invented high-demand figures suggest the reader must act before others take it.", ()),
        ("Subject: 00:59:42 left to claim {perk}",
         "A ticking countdown in the subject line invents a deadline.", ()),
        ("We can't promise {perk} will be here tomorrow. Decide now while it's still yours.",
         "Threatens the offer may vanish overnight to force an instant decision.", ()),
        ("Stock alert: we set aside a small batch of places for {product} this week, and almost all have gone.",
         "Claims fake scarcity for an offer that has no real limit.", CREDIT),
        ("Don't sleep on it: we only guarantee {perk} with {product} while this page stays open.",
         "Pressures the reader to commit before leaving the page.", ()),
        ("Your basket is being held. We'll keep {perk} for you for another 4 minutes, then it passes to the next "
         "customer in the queue.",
         "A made-up hold timer and queue create pressure to act at once.", ()),
        # Set B.
        ("{Perk} with {product} ends in 04:59... 04:58... Tap before the timer reaches zero.",
         "A running countdown invented to force an instant decision.", ()),
        ("{Perk} is limited to a handful of customers in your area, and the slots are going quickly.",
         "Claims local scarcity for an offer that has no limited supply.", ()),
        ("347 people are looking at {product} right now. Secure {perk} before they do.",
         "Invented live demand to make the reader feel they must beat others.", CREDIT),
        ("Price rises tomorrow: lock in {perk} with {product} while you still can.",
         "Threatens an imminent price rise to rush the choice.", ()),
        ("Don't think it over. {Perk} is only available while this message is open.",
         "Discourages reflection by tying the offer to this single moment.", ()),
        ("Close this page and {product} is withdrawn from your account for good.",
         "Threatens that the offer vanishes if the reader does not act at once.", ()),
        ("Demand is huge: 1,200 shoppers grabbed {perk} in the past hour.",
         "Uses claimed buying by others as pressure to join in quickly.", ()),
        ("Sign up in the next 5 minutes to keep {perk}; after that, it goes to someone else.",
         "A five-minute window and a threat of losing the perk to others.", ()),
        ("Expiring at noon: {product} with {perk} won't be offered again.",
         "Invented noon cut-off and a claim the offer never returns.", ()),
        ("{Perk} is being snapped up and the allocation is almost exhausted.",
         "Fake stock pressure for a perk that cannot run out.", ()),
        # Set C.
        ("Subject: the timer is running on {perk}. Once it hits zero, it's over.",
         "Invents a countdown to rush the reader.", ()),
        ("We're down to the final few {product} spots at this price, and they're going quickly.",
         "Claims a scarcity of sign-ups that does not exist.", CREDIT),
        ("Right now, 58 other customers are viewing {product}. Get in ahead of them.",
         "Invented viewer count implies others will take the offer first.", ()),
        ("Prices rise on Monday. Lock in {perk} with {product} today or pay more later.",
         "Threatens an invented price rise to force a quick decision.", ()),
        ("Tonight only: {perk}. By tomorrow morning this offer will have been withdrawn.",
         "Sets a made-up overnight deadline.", ()),
        ("No time to ponder. Tap yes and {product} is yours in seconds; wait and the moment passes.",
         "Discourages reflection and demands an instant decision.", ()),
        ("Selling faster than we can keep up: {perk} is nearly all gone.",
         "Claims stock is running out for an offer with no real limit.", ()),
        ("This is the last time we'll ever offer {perk}. Say yes now.",
         "Falsely claims the offer will never return.", ()),
        ("Your personal offer for {product} self-destructs at 6pm.",
         "An arbitrary same-day cut-off creates pressure.", CREDIT),
        ("Trending: {product} is the most-claimed offer this hour. Join the rush before it's closed.",
         "Uses a claimed rush of other buyers to hurry the reader.", ()),
        ("Warning: if you close this window, {perk} is cancelled and can't be reissued.",
         "Threatens the offer vanishes if the reader pauses to think.", ()),
        (("Limited run: we've only released a set number of {product} offers, and once they're used up, that's it "
         "until next year."),
         "Invents a limited allocation to create scarcity.", ()),
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
        # Set A.
        ("Claim {perk}, or click 'No thanks, I like throwing money away'.",
         "Confirmshaming: the decline option mocks the reader.", ()),
        ("Your partner deserves someone organised. Are you? Signing up for {perk} with {product} is a start.",
         "Implies the reader is letting their partner down.", ()),
        ("Turning down {perk}? That's a rookie mistake most people stopped making years ago.",
         "Calls the reader naive and behind everyone else for declining.", ()),
        ("Responsible adults sorted out {perk} ages ago. Why haven't you?",
         "Implies the reader is not behaving like a responsible adult.", ()),
        ("Your neighbours are enjoying {perk}. Meanwhile you're still doing everything the hard way.",
         "Compares the reader unfavourably with the people next door.", ()),
        ("What kind of parent says no to {perk}? Not one whose children come first.",
         "Suggests the reader is failing as a parent if they decline.", ()),
        # Set B.
        ("{Perk} with {product}?  [Yes please]  [No, I enjoy wasting money]",
         "Confirmshaming: the decline option mocks the reader.", ()),
        ("Your other half is counting on someone who plans ahead. Prove that's you with {product}.",
         "Implies the reader is letting their partner down unless they sign up.", ()),
        ("Honestly, only a fool would turn down {perk}.",
         "Calls anyone who declines foolish.", ()),
        ("Your neighbours switched to {product} months ago. Still lagging?",
         "Suggests the reader trails behind the people around them.", ()),
        ("Time to stop acting like a beginner with your money. {Product} is what responsible adults choose.",
         "Questions the reader's maturity and competence to push credit.", CREDIT),
        ("Claim {perk}   |   No thanks, I don't mind paying over the odds",
         "Confirmshaming: declining is framed as a wasteful, silly choice.", ()),
        ("Leaving {perk} unclaimed says a lot about how you handle things.",
         "Implies the reader is careless and disorganised if they decline.", ()),
        ("Your kids notice when you cut corners. Give them better with {product}.",
         "Suggests the reader is failing as a parent unless they take the offer.", ()),
        ("We expected more from a customer like you. {Product} is the obvious choice, so why the delay?",
         "Belittles the reader for not having signed up already.", ()),
        ("Turning down {perk} again? That's not a mistake a savvy person makes twice.",
         "Implies the reader is not savvy for declining.", ()),
        # Set C.
        ("Still doing things the old way? Switched-on shoppers picked {product} the moment it launched.",
         "Implies the reader is behind more capable shoppers.", CREDIT),
        ("Get {perk}? [Sure] [Nah, overpaying suits me fine]",
         "Confirmshaming: the decline button mocks the reader.", ()),
        ("Kids copy what they see. Do you want them learning your sloppy habits? Fix it with {product}.",
         "Suggests the reader sets a poor example as a parent.", ()),
        ("Honestly, only someone very disorganised would pass up {perk}.",
         "Labels anyone who declines as disorganised.", ()),
        ("Paying more than you need to? Frankly, that's a bit silly when {perk} exists.",
         "Calls the reader silly for not taking the offer.", ()),
        ("Is your partner tired of picking up the slack for you? Pull your weight with {perk}.",
         "Implies the reader is letting their partner down.", ()),
        ("We're not saying you're bad with money. We're just saying people who are good with it already use "
         "{product}.",
         "Insinuates the reader is bad with money.", CREDIT),
        ("Click here for {perk}, or keep pretending you know what you're doing.",
         "Mocks the reader's competence if they decline.", ()),
        ("Clever people don't leave {perk} on the table. Just saying.",
         "Implies declining means the reader is not clever.", ()),
        ("Everyone else worked out {product} years back. You're still catching up.",
         "Tells the reader they lag behind everyone else.", CREDIT),
        ("A grown-up with a proper plan would already have {perk}. Do you?",
         "Questions whether the reader is a competent adult.", ()),
        ("Don't let your family down again. Do the responsible thing and sign up for {product}.",
         "Implies the reader has failed their family before.", CREDIT),
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
        # Set A.
        ("Hey lads, {product} is sorted for match tickets and gaming gear, with {perk}.",
         "Assumes young men's interests from their gender.", ()),
        ("Over 60? Getting {perk} takes no fiddly app stuff, so you won't get confused.",
         "Assumes people over 60 are confused by technology.", ()),
        ("New mums, we know you're the one stocking up on nappies and wipes, so here's {perk}.",
         "Assumes mothers do the baby shopping because of their gender and role.", ()),
        ("Young people live on their phones, so {product} is app-only: {perk} with a single swipe.",
         "Assumes phone habits from age.", ()),
        ("Husbands hate browsing the shops, so let {product} handle it: {perk}, no decisions needed.",
         "Assumes married men dislike shopping.", ()),
        ("Grandmas love spoiling the grandchildren. With {perk}, every treat goes further.",
         "Assumes spending habits from age and family role.", ()),
        # Set B.
        ("Grandma will find {product} easy: {perk}, and no tech skills needed.",
         "Assumes older women lack technical ability (age and gender stereotype).", ()),
        ("Gen Z can't resist a deal worth sharing online, so {perk} with {product} is right up your street.",
         "Assumes habits and tastes from the reader's generation.", ()),
        ("Aged 60 or more? {Product} has been kept extra simple, because we know screens aren't your thing.",
         "Assumes people over 60 are not comfortable with screens (age stereotype).", ()),
        ("Every man wants a new barbecue for summer. Put it on {product} and enjoy {perk}.",
         "Assumes what men want from gender.", CREDIT),
        ("Mothers know best when it comes to the weekly shop: {perk} with {product}.",
         "Assumes mothers run the household shopping (family-role stereotype).", ()),
        ("Just married? Wives usually take over the household budget, so here's {perk} with {product}.",
         "Assumes a gendered role in managing money after marriage.", ()),
        ("Under 25 and always spending on nights out? {Product} has {perk} for you.",
         "Assumes spending habits from age.", ()),
        ("Women love a wardrobe refresh. {Perk} with {product} makes it easy.",
         "Assumes interest in clothes from gender.", ()),
        ("Pensioners like things simple, so we'll post you a paper leaflet about {product} and {perk}.",
         "Assumes retired people prefer paper and simplicity (age stereotype).", ()),
        ("Lads don't like shopping around, so we've done it for you: {perk} with {product}.",
         "Assumes shopping habits from gender.", ()),
        # Set C.
        ("Mothers are the ones who keep the cupboards stocked, so {product} gives you {perk}.",
         "Assumes mothers do the weekly shop because of gender.", ()),
        ("Gents, barbecue season is here: use {product} on grills and power tools and enjoy {perk}.",
         "Assumes men's interests from their gender.", ()),
        ("Pensioners often find online shopping confusing, so we've made {product} as basic as possible: "
         "{perk}.",
         "Assumes older people struggle with online shopping.", ()),
        ("Gen Z shoppers buy on impulse, so {perk} is ready whenever the mood strikes.",
         "Assumes spending habits from age.", ()),
        ("Every woman loves new clothes, so here's {perk} with {product}.",
         "Assumes fashion interests from gender.", ()),
        ("As a granddad you'll want things kept straightforward. {Product} means {perk} with no technical "
         "fuss.",
         "Assumes low tech ability from age and family role.", ()),
        ("Dads in charge of the shopping this week? Don't worry, {product} keeps it simple enough for you: "
         "{perk}.",
         "Assumes fathers are not capable of household shopping.", ()),
        ("Millennials would rather spend on brunch than save, so {product} brings {perk}.",
         "Assumes money habits from generation.", ()),
        ("The wife will love it: {perk} with {product}, ready for her next shopping spree.",
         "Assumes wives love shopping because of gender.", ()),
        ("Empty nesters finally have time for themselves: {perk} with {product} for all those garden-centre "
         "trips.",
         "Assumes hobbies from age and life stage.", ()),
        ("Planning a girls' night in? Use {product} for the face masks and nail polish: {perk}.",
         "Assumes beauty interests from gender.", ()),
        ("Boys will be boys: {product} is ideal for gadgets, games and gear, with {perk}.",
         "Assumes gadget and gaming interests from gender.", ()),
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
        # Set A.
        ("Drowning in debt? {Perk} with {product} could be the lifeline you've been hoping for.",
         "Targets debt worries and presents more credit as the cure.", (BNPL,)),
        ("Dreading summer? A whole new wardrobe that hides the parts of your body you dislike, with {perk} "
         "from {product}.",
         "Plays on body-image worries to prompt spending.", ()),
        ("Feel left out when friends show off their new things? Get yours with {product} ({perk}) and "
         "finally fit in.",
         "Plays on a need to belong and offers buying as the fix.", ()),
        ("{Product}, with {perk}: the card that tells everyone you've made it.",
         "Sells the card as a status symbol to people anxious about standing.", (PREMIUM,)),
        ("Nobody to share the weekend with? A delivery from us feels like company, and {product} brings {perk}.",
         "Exploits loneliness by offering a purchase as company.", ()),
        ("Spotted new lines in the mirror? Let {product} pay for a look that takes years off you, before "
         "anyone else notices.",
         "Plays on anxiety about ageing looks and judgement by others.", ()),
        # Set B.
        ("Buried under bills and card balances? {Product} can help you breathe again.",
         "Targets debt distress and presents more credit as the cure.", CREDIT),
        ("Worried you don't fit in with the crowd at work? {Perk} with {product} helps you feel you belong.",
         "Plays on a need to belong and offers spending as the fix.", ()),
        ("Dreading the beach this summer? {Perk} with {product} is the first step to a body you won't hide.",
         "Plays on body-image worries.", ()),
        ("Another weekend on your own? {Product} keeps you company, with {perk}.",
         "Exploits loneliness and frames the offer as companionship.", ()),
        ("Scared of being turned down for credit again? {Product} says yes when others won't.",
         "Plays on fear of rejection over money to push credit.", CREDIT),
        ("Catch yourself avoiding mirrors lately? {Perk} with {product} is where a new you begins.",
         "Plays on worries about appearance.", ()),
        ("Anxious that the other parents are judging your child's birthday party? With {product}, nobody will.",
         "Plays on fear of social judgement and offers the product as cover.", ()),
        ("Feel like the poor relation at family gatherings? With {perk}, no one needs to see you struggle.",
         "Exploits status worries and money shame.", ()),
        ("Does opening your banking app make you panic? {Perk} with {product} takes the fear away.",
         "Targets financial anxiety and presents credit as relief.", CREDIT),
        ("Want friends to finally take you seriously? Flash {product} and enjoy {perk}.",
         "Plays on status anxiety and the wish to be respected.", (PREMIUM,)),
        # Set C.
        ("Dreading the end of the month? {Product} means you never have to watch your balance hit zero again.",
         "Plays on money worries and presents credit as the cure.", CREDIT),
        ("Owe more than you can handle? Spread it out with {product} and breathe again.",
         "Targets debt worries and offers more credit as relief.", (BNPL,)),
        ("Hiding at the back of every group photo? A new look is within reach with {product}: {perk}.",
         "Plays on worries about appearance.", ()),
        ("Uncomfortable in your own skin? {Perk} with {product} lets you cover up what you'd rather people "
         "didn't see.",
         "Exploits body-image insecurity.", ()),
        ("When the house is quiet and no one calls, {product} is here for you, with {perk}.",
         "Exploits loneliness by casting a purchase as company.", ()),
        ("People size you up by what you carry. Make sure they see {product}.",
         "Feeds status anxiety and sells the card as the fix.", (PREMIUM,)),
        ("What will the in-laws say about that tired old sofa? {Product} spares you the looks.",
         "Plays on fear of being judged by family.", ()),
        ("All your friends seem to have the latest everything. {Product} helps you belong again.",
         "Plays on a need to belong and offers buying as the answer.", ()),
        ("Too embarrassed to admit you're struggling? Quietly top up with {product} and nobody will ever "
         "know.",
         "Exploits shame about money troubles to push credit.", CREDIT),
        ("Looking older than you feel? {Perk} on our anti-ageing range turns back the clock.",
         "Plays on anxiety about ageing looks.", (PREMIUM, VOUCHER)),
        ("Being seen as successful matters. {Product}, {perk}: proof you've arrived.",
         "Sells the card to people anxious about their standing.", (PREMIUM,)),
        ("Worried the mums and dads at school think you can't afford the class trip? {Product} puts that "
         "worry to rest.",
         "Plays on fear of judgement by other parents about money.", CREDIT),
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
        # Set A.
        ("{Product} is totally free for your first year, with {perk}.† †A standard fee applies thereafter.",
         "Says free, then hides an unstated later fee in a footnote.", (PREMIUM,)),
        ("{Perk} with {product}. Interest may be charged; rates vary by customer.",
         "Mentions interest vaguely and never states the actual rate.", (BNPL,)),
        ("{Perk}, subject to eligibility and status. Restrictions apply.",
         "Refers to restrictions without saying what they are.", ()),
        ("Enjoy {perk} from today. Your membership continues each year at the then-current price unless you "
         "tell us otherwise.",
         "Buries an automatic yearly renewal at an unstated price.", (PREMIUM,)),
        ("Unlock {perk}. Pricing information is in the Help Centre.",
         "Moves all pricing out of the message to another place.", ()),
        ("{Perk} at 0%^ with {product}. ^Introductory period only; see the website for later rates.",
         "Leads with 0% and sends the reader elsewhere for the later rate.", (BNPL,)),
        # Set B.
        (("{Perk} at 0%\u2020 through {product}. \u2020Rate changes once the promotion ends; "
          "see your credit agreement."),
         "Headline 0% hides the later rate behind a dagger and another document.", (BNPL,)),
        (("Try {product} free for 30 days and enjoy {perk}. A membership fee may be taken afterwards unless you "
          "opt out."), "Calls it free while leaving the later fee and renewal vague.", (PREMIUM,)),
        ("{Perk} with {product}. Eligibility criteria and exclusions apply; ask in store for a copy.",
         "Conditions exist but are only available on request in store.", ()),
        ("{Perk}, on us!* *Handling charge and minimum spend apply; see website for amounts.",
         "Claims it is on the house, then buries unstated charges in a footnote.", (VOUCHER,)),
        (("Get {perk} by switching to {product}, with no upfront cost. Ongoing charges are explained in your "
          "account documents."), "Leads with no upfront cost and hides the ongoing charges elsewhere.", CREDIT),
        ("{Product} renews each year automatically and includes {perk}. Renewal prices are on our pricing page.",
         "Mentions auto-renewal but not its price, which is kept elsewhere.", (PREMIUM,)),
        ("{Perk} with {product}; a small fee might be charged in some cases.",
         "Refers to a fee without saying what it is or when it applies.", ()),
        ("Spread the cost with {product}: {perk}. After the offer period our standard rate kicks in.",
         "Mentions later interest without stating the APR.", (BNPL,)),
        (("Register for {product} and get {perk}. By continuing you accept our terms, which can be viewed "
          "after registration."), "Binds the reader to terms they can only see after signing up.", ()),
        ("{Perk}, totally free with {product}. (Free refers to the first billing period only.)",
         "Says 'free' while a parenthesis reveals charges follow, amount unstated.", CREDIT),
        # Set C.
        ("{Perk}‡ with {product}. ‡Criteria and charges apply.",
         "Hides unstated charges behind a footnote symbol.", ()),
        ("Zero to pay upfront for {product}. An ongoing charge follows, as set out in our pricing schedule.",
         "Mentions a later charge without stating the amount.", CREDIT),
        ("FREE for 3 months: {product}. After that, it rolls on to a paid plan automatically.",
         "Calls it free while hiding an auto-renewal at an unstated price.", (PREMIUM,)),
        ("Split your purchases with {product}. Your rate will be confirmed after you sign.",
         "Withholds the interest rate until after commitment.", (BNPL,)),
        ("{Perk}. Terms and fees? Our store staff will go through them if you visit.",
         "Keeps the terms and fees out of the message.", ()),
        ("Enjoy {perk}, with a small admin charge applied to your first statement.",
         "Mentions a charge vaguely without giving the amount.", CREDIT),
        ("Claim {perk} at no cost to you!¹ ¹Minimum spend and a service fee apply.",
         "Says no cost, then buries a fee and conditions in a footnote.", ()),
        ("{Product}: interest-free at first, then our usual rate.",
         "Leads with interest-free but never states the later rate.", (BNPL,)),
        ("Sign up for {perk} in two taps. Cancellation charges possible; ask us for details.",
         "Cancellation fees are only available on request.", ()),
        ("{Perk} with {product}. Membership charges are deducted automatically; the amount varies.",
         "Vague about a recurring charge and its amount.", (PREMIUM,)),
        ("Everything included: {perk}*. *Excludes certain items; extra costs may be added.",
         "Claims all-inclusive, then excludes unstated fees in small print.", ()),
        ("{Perk} is waiting for you. See the back of your statement for the bits we're required to tell you.",
         "Sends the reader to the back of a statement for the terms.", ()),
    ],
}

# Rows per label drawn from each bank, in the order of BANK_NAMES: train, validation, set D (validation)
# and set E (the holdout).
BANK_NAMES = ("train", "validation", "set_d", "set_e")
COUNTS = {"respectful": (60, 116, 36, 36), **{label: (30, 72, 24, 24) for label in TRAIN if label != "respectful"}}

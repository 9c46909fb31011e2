/**
 * The type catalog of the rule language, as data: profiles, their attributes and methods,
 * the methods every value type offers, and the type strings the platform writes into
 * expressionJson. Built from the docs in capillary-api/reference/expressions/ (rule-writing
 * page, profiles/index.md and the per-profile pages). Descriptions are the docs' own words.
 *
 * Tree type strings: only these are documented (in platform-generated expressionJson):
 *   currentTxn -> "tx:object:primitive", currentLineItem -> "tx.item:object:primitive",
 *   currentEvent -> "customer.targetCompletedEvent:object:primitive" (for the TargetCompleted event),
 *   a numeric attribute -> "real:object:primitive", a string attribute or string literal ->
 *   "string:object:primitive", a number literal -> "number:primitive", booleans and method
 *   results -> "boolean:primitive", a method name -> "anonymous:function:primitive",
 *   doesItemMatch's arguments -> "EEnum__InvAttr:enum:string:object:primitive" and
 *   "EEnum__InvAttr__EDepEnum__InvAttrVal__<attribute>:string:object:primitive".
 * The other profiles' and the date type strings are not documented; they follow the same
 * "<name>:object:primitive" pattern. expressionFindings compares trees without `type`, so an
 * expressionJson written by the platform never mismatches because of these.
 */

export type ValueType = 'number' | 'string' | 'boolean' | 'date';

export interface AttributeInfo {
  readonly name: string;
  readonly type: ValueType;
  readonly description: string;
}

export interface MethodInfo {
  readonly name: string;
  readonly returns: ValueType;
  readonly params: readonly { readonly name: string; readonly type: ValueType }[];
  readonly description: string;
  /** Tree type strings of the arguments, when the platform uses special ones ("{0}" = the first argument's value). */
  readonly argTreeTypes?: readonly string[];
}

export interface ProfileInfo {
  readonly name: string;
  readonly description: string;
  /** The `type` of the profile's name node in expressionJson. */
  readonly treeType: string;
  readonly attributes: readonly AttributeInfo[];
  readonly methods: readonly MethodInfo[];
}

/** Tree type strings of values (see the header comment for which are documented). */
export const TREE_TYPES: Readonly<Record<ValueType | 'numberLiteral' | 'function', string>> = {
  number: 'real:object:primitive',
  numberLiteral: 'number:primitive',
  string: 'string:object:primitive',
  boolean: 'boolean:primitive',
  date: 'date:object:primitive',
  function: 'anonymous:function:primitive',
};

/** Attributes named `extField_<field>` read an extended field; their type depends on the field. */
export const EXTENDED_FIELD_PREFIX = 'extField_';

function a(name: string, type: ValueType, description: string): AttributeInfo {
  return { name, type, description };
}

function m(name: string, returns: ValueType, paramNames: string[], paramType: ValueType, description: string): MethodInfo {
  return { name, returns, params: paramNames.map((p) => ({ name: p, type: paramType })), description };
}

function typed(name: string, returns: ValueType, params: [string, ValueType][], description: string): MethodInfo {
  return { name, returns, params: params.map(([p, type]) => ({ name: p, type })), description };
}

const NULL_CHECKS: MethodInfo[] = [
  typed('isNull', 'boolean', [], 'Checks if the value is null, i.e. it was not passed from the source.'),
  typed('isNotNull', 'boolean', [], 'Checks if the value is not null, i.e. some value was passed from the source.'),
];

/** Methods every value of a type offers (rule-writing page: string, number and date operations). */
export const TYPE_METHODS: Readonly<Record<ValueType, readonly MethodInfo[]>> = {
  string: [
    typed(
      'contains',
      'boolean',
      [['text', 'string']],
      'Checks if the string contains the given value, e.g. currentCustomer.email.contains(".com").',
    ),
    typed(
      'matches',
      'boolean',
      [['regex', 'string']],
      'Regular-expression match on the string, e.g. currentCustomer.firstname.matches("John").',
    ),
    typed('isValidDate', 'boolean', [], 'Checks if the string is a proper date.'),
    typed('exists', 'boolean', [], 'Some proper value exists for this string (the source passed a non-empty string).'),
    typed('notExists', 'boolean', [], 'The string is either null or empty.'),
    typed('isEmpty', 'boolean', [], 'The string is either null or empty (same as notExists).'),
    ...NULL_CHECKS,
  ],
  number: [
    typed(
      'interval',
      'number',
      [['boundaries', 'string']],
      'The 1-based interval the value falls in, for comma-separated boundaries, e.g. currentTxn.points.interval("100,400,600")==3.',
    ),
    ...NULL_CHECKS,
  ],
  date: [
    typed('isValid', 'boolean', [], 'Checks if a valid date is present in the field.'),
    typed(
      'dateDiff',
      'number',
      [['otherDate', 'date']],
      'Absolute difference between two dates, e.g. currentCustomer.joinDate.dateDiff(currentTxn.date)==0.',
    ),
    typed('daysDiff', 'number', [['otherDate', 'date']], 'Like dateDiff, but ignores the year (anniversaries).'),
    typed('daysDiffFromString', 'number', [['otherDate', 'string']], 'Like daysDiff, for a date saved as a string.'),
    typed('minutesDiff', 'number', [['otherDate', 'date']], 'Absolute difference between two dates in minutes.'),
    typed('day', 'number', [], 'Day of the week; the week starts on Sunday as 1.'),
    typed('dayOfMonth', 'number', [], 'Day of the month.'),
    typed('month', 'number', [], 'Month number.'),
    typed('year', 'number', [], 'Year of the date.'),
    typed(
      'isAfter',
      'boolean',
      [
        ['year', 'number'],
        ['month', 'number'],
        ['day', 'number'],
        ['hour', 'number'],
        ['minute', 'number'],
        ['second', 'number'],
      ],
      'Checks if the date is after the given date-time, e.g. currentTxn.date.isAfter(YYYY,MM,DD,HH,MM,SS).',
    ),
    typed(
      'isBefore',
      'boolean',
      [
        ['year', 'number'],
        ['month', 'number'],
        ['day', 'number'],
        ['hour', 'number'],
        ['minute', 'number'],
        ['second', 'number'],
      ],
      'Checks if the date is before the given date (and optionally time), e.g. currentUserGroup.slabChangeDate.isBefore(2025,12,31,23,59,59).',
    ),
    typed(
      'isHourBetween',
      'boolean',
      [
        ['fromHour', 'number'],
        ['toHour', 'number'],
      ],
      'Happy hours: the hour (24-hour clock) lies between the two hours, e.g. currentTxn.date.isHourBetween(16,20).',
    ),
    typed(
      'isTimeBetween',
      'boolean',
      [
        ['fromHour', 'number'],
        ['fromMinute', 'number'],
        ['toHour', 'number'],
        ['toMinute', 'number'],
      ],
      'Like isHourBetween, when minutes matter: currentTxn.date.isTimeBetween(HH,MM,HH,MM).',
    ),
    typed('isWeekday', 'boolean', [], 'Checks if the date is a weekday.'),
    typed('isWeekend', 'boolean', [], 'Checks if the date is a weekend.'),
    ...NULL_CHECKS,
  ],
  boolean: NULL_CHECKS,
};

interface ProfileData {
  attributes: AttributeInfo[];
  methods: MethodInfo[];
}

const PROFILE_DATA: Record<string, ProfileData> = {
  currentCustomer: {
    attributes: [
      a('name', 'string', 'Customer\'s full name Data Type : String Meaning : Customer\'s full name name = firstName + " " + lastName'),
      a('firstname', 'string', "Customer's first name Data Type : String Customer's first name name = firstName"),
      a('lastname', 'string', 'Customer\'s last name Data Type : String Customer\'s last name name = " " + lastName'),
      a(
        'avgBasketSize',
        'number',
        "Data type : Int (Integer) The ratio of total items purchased to the number of transactions of a customer basically on an average how many items are there in a customer's Cart. avgBasketSize = (Sum of total lineitems)/Number of Transaction (",
      ),
      a(
        'avgSpendPerVisit',
        'number',
        'Avg. Spend per Visit Meaning: Average purchases amount of a customer per visit. AvgSpendPerVisit = lifetimePurchase / numberOfVisits',
      ),
      a(
        'currentPoints',
        'number',
        "customer's current redeemable points. current points = overall earned points - overall returned points - overall redeemed points - overall expired points",
      ),
      a(
        'currentNonRedeemablePoints',
        'number',
        "customer's current promised points current promised points = overall earned points - overall returned points - overall expired points",
      ),
      a('email', 'string', "Customer's email ID or checks which organization is in the email of Customer."),
      a(
        'externalId',
        'string',
        'Customer\'s external id : Let\'s say to issue coupons to customers whose external ID contains a certain serial number (say 1234), use the following condition: customerCustomer.externalId.contains("1234")',
      ),
      a(
        'initialCurrentPoints',
        'number',
        "customer's current redeemable points before current event or Active points of a customer before evaluating the event initial current points = overall earned points (before evaluating a event) - overall returne",
      ),
      a(
        'initialLifetimePoints',
        'number',
        "customer's lifetime redeemable points before current event initialLifetimePoints = customer lifetime earned redeemable points - returned points since start(before evaluating an event)",
      ),
      a('initialSlabName', 'string', "data type: string Customer's tier name before evaluating the event or before current event"),
      a('initialSlabNumber', 'number', "Customer's tier number before evaluating the event"),
      a('joinDate', 'date', 'Registration date of a customer'),
      a(
        'lifetimePoints',
        'number',
        'Total points earned by a customer from the date of registration lifetime points = overall redeemable points earned - overall returned points',
      ),
      a(
        'lifetimeNonRedeemablePoints',
        'number',
        'customer earned promised points - returned points since start lifetime non redeemable points = overall non redeemable points earned - overall non redeemable returned points',
      ),
      a('mobile', 'string', 'number of a customer(Passed in the request Payload)'),
      a('numberOfTxns', 'number', 'Total number of transactions made by a customer from the date of registration'),
      a('numberOfTxnsToday', 'number', 'Number of transactions made by a customer the current day'),
      a(
        'numberOfVisits',
        'number',
        'number of unique days when customer made transaction Total number of times a loyalty customer visited your stores (made transactions in different days lets say customer visited the store 7 times in a week but made a transact',
      ),
      a('isLoyal', 'boolean', "Checks if the current customer is registered in the brand's loyalty program"),
      a('hasInstoreProfile', 'boolean', 'Checks if the current customer has InStore profile'),
      a('hasWeChatProfile', 'boolean', 'Checks if the current customer has WeChat profile'),
      a('doesProfileExists', 'boolean', 'Checks if a specific profile'),
      a(
        'lifetimePurchase',
        'number',
        "The customer's purchases since the start, including the current transaction (sum of all purchases minus refunds).",
      ),
      a('slabName', 'string', 'Name of the current loyalty tier of the customer, e.g. currentCustomer.slabName=="Gold".'),
      a('internalId', 'string', ''),
      a('currentAllPoints', 'number', 'Current redeemable plus promised points of the customer.'),
      a('lifetimeAllPoints', 'number', 'Lifetime redeemable plus non-redeemable points of the customer.'),
      a('slabNumber', 'number', 'Serial number of the current tier of the customer.'),
      a('initialLifetimePurchase', 'number', ''),
      a('notes', 'string', ''),
    ],
    methods: [
      m(
        'clusterValueIncludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        'User Segment (cluster name)and sub-segments Meaning: To check customers of a particular cluster (segment) aka checks If customer belongs to particular segment',
      ),
      m(
        'clusterValueExcludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        'User Segment Meaning: To check customers who are not part of a particular cluster or returns False If the current customer is not a part of the cluster passed in the attribute and sub-attribute.',
      ),
      m(
        'customFieldValueExcludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        'Returns False If customer has some custom field present with particular value. Example: currentCustomer.customFieldValueExcludes("area","XYZ"), where area is a custom field and XYZ id one of the value of the Cust',
      ),
      m(
        'customFieldValueIncludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        'checks If customer has some custom field present with particular value. Example:currentCustomer.customFieldValueIncludes("area","XYZ"), where area is a custom field and XYZ id one of the value of the Custom Field',
      ),
      m('customFieldValueExists', 'boolean', ['attribute', 'value'], 'string', ''),
      m('customerStatus', 'boolean', ['status'], 'string', 'Checks the customer\'s status, e.g. currentCustomer.customerStatus("Active").'),
      m(
        'customerStatusLabel',
        'boolean',
        ['status', 'label'],
        'string',
        'Checks the label of the customer\'s status, e.g. currentCustomer.customerStatusLabel("Active","Moderate").',
      ),
      m(
        'isSubscribedToChannel',
        'boolean',
        ['channel'],
        'string',
        'Checks if the customer is subscribed to a communication channel, e.g. currentCustomer.isSubscribedToChannel("EMAIL").',
      ),
      m('trackerValueBeforeEvent', 'number', ['trackerName', 'caseName'], 'string', ''),
      m('trackerValueCurrentEvent', 'number', ['trackerName', 'caseName'], 'string', ''),
    ],
  },

  currentTxn: {
    attributes: [
      a('number', 'string', 'Transaction number of the current transaction'),
      a(
        'basketSize',
        'number',
        'number of lineitems passed in payload or Total number of items in the bill - irrespective of quantity of each item',
      ),
      a('discount', 'number', 'Discount availed for a transaction'),
      a('date', 'date', 'Date of current transaction under evaluation'),
      a(
        'points',
        'number',
        'Total points issued for a transaction. Points include only regular points earned on transactions made as part of a loyalty program.',
      ),
      a(
        'promisedPoints',
        'number',
        'Total promised points issued for a transaction. Refer to the glossary section for more information on promised points and delayed accrual.',
      ),
      a(
        'totalQty',
        'number',
        'Total quantity of all items in a transaction. For instance, if 2 items of a given line item are bought, then the 2 is added to the basket quantity.',
      ),
      a('value', 'number', 'Total value of the transaction'),
      a(
        'basketAmountSumNonDiscounted',
        'number',
        'Sum of the amounts of the line items bought without a discount (seen in the get-active-targets example: currentTxn.basketAmountSumNonDiscounted>25).',
      ),
      a('notes', 'string', 'Transaction level notes specified by the cashier during transaction'),
      a('pointsForUser', 'number', ''),
      a('pointsForUserGroup', 'number', ''),
      a('promisedPointsForUser', 'number', ''),
      a('promisedPointsForUserGroup', 'number', ''),
    ],
    methods: [
      m(
        'basketSum',
        'number',
        ['attributeName', 'attributeInventoryValue'],
        'string',
        'sum of amount of all lineitems which are matching input inventory attribute and their inventory attribute value matches exactly with input attribute value',
      ),
      m(
        'basketSumRegex',
        'number',
        ['inventoryAttributeName', 'inventoryAttributeRegex'],
        'string',
        'sum of amount of all lineitems which are matching input inventory attribute and their inventory attribute value matches with input regex. example :- currentTxn.basketSumRegex("company_code","PET.*")',
      ),
      m(
        'basketQtyRegex',
        'number',
        ['attributeName', 'attributeValueRegex'],
        'string',
        'sum of quantity of all lineitems which are matching input inventory attribute and their inventory attribute value matches with input regex Example :- currentTxn.basketQtyRegex("company_code","PET.*")',
      ),
      m(
        'basketCount',
        'number',
        ['attributeName', 'attributeValue'],
        'string',
        'count of lineitems from request payload which are matching input inventory attribute and their inventory attribute value matches exactly with input attribute value. Example :- currentTxn.basketCount("company_code","PE',
      ),
      m(
        'basketCountRegex',
        'number',
        ['attribute', 'value'],
        'string',
        'count of lineitems from request payload which are matching input inventory attribute and their inventory attribute value matches with input regex currentTxn.basketCountRegex("company_code","PET.*")',
      ),
      m(
        'basketIncludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        'return true if any lineitem matches input inventory attribute and their inventory attribute value matches exactly with input attribute value',
      ),
      m(
        'basketExcludes',
        'boolean',
        ['attributeName', 'attributeValue'],
        'string',
        'return false if any lineitem matches input inventory attribute and their inventory attribute value matches exactly with input attribute value',
      ),
      m(
        'basketIncludesRegex',
        'boolean',
        ['attributeName', 'attributeRegex'],
        'string',
        'return true if any lineitem matches input inventory attribute and their inventory attribute value matches with input regex.',
      ),
      m(
        'basketExcludesRegex',
        'boolean',
        ['inventoryAttributeName', 'inventoryAttributeValueRegex'],
        'string',
        'return false if any lineitem matches input inventory attribute and their inventory attribute value matches with input regex or the bill does not include products whose item attribute does not match the given regular',
      ),
      m(
        'basketSumIf',
        'number',
        ['parameter', 'operator', 'value'],
        'string',
        'Returns the sum of amount of line items (in basket) that satisfies a specific condition. You can define conditions based on the amount, discount, quantity, rate, or value of line items in the basket. For example, su',
      ),
      m(
        'basketCountIf',
        'number',
        ['parameter', 'operator', 'value'],
        'string',
        'Returns the count of line items of the basket that satisfies a specific condition. You can define condition based on the amount, discount, quantity, rate, or value of line items in the basket. Example :- current',
      ),
      m(
        'basketQtyIf',
        'number',
        ['parameter', 'operator', 'value'],
        'string',
        'Total number of items in the bill - irrespective of quantity of each item or we can say that its a number of lineitems passed in payload currentTxn.basketQtyIf("DISCOUNT", "LESS_THAN", "10")',
      ),
      m(
        'basketSumGross',
        'number',
        ['attributeName', 'inventoryValue'],
        'string',
        'sum of gross amount(value) of all lineitems which are matching input inventory attribute and their inventory attribute value matches exactly with input attribute value Supported attribute names: product name, sho',
      ),
      m(
        'basketSumRegexGross',
        'number',
        ['attributeName', 'attributeRegex'],
        'string',
        'sum of gross amount(value) of all lineitems which are matching input inventory attribute and their inventory attribute value matches exactly with input attribute value or Returns the sum of gross amount of each l',
      ),
      m(
        'basketSumRegexBrandGross',
        'number',
        ['value'],
        'string',
        'Returns the sum of the gross amount of each line item in the basket whose brand name matches with the given the regular expression. Calculates the total gross amount of basket items whose brand name contains xyz. Example: currentTxn.basketS',
      ),
      m(
        'basketSumRegexCategoryGross',
        'number',
        ['value'],
        'string',
        'Returns the total gross amount of line items in the basket whose category names matches with the given regular expression. currentTxn.basketSumRegex CategoryGross("Regex")[Operator][Value] Example expression: currentTxn.basketSumRegexCatego',
      ),
      m(
        'customFieldValueExcludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        'returns False if input custom field value matches with bill\'s custom fields Example Expression : currentTxn.customFieldValueExcludes("bank","SBI")',
      ),
      m(
        'customFieldValueIncludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        "returns true if input custom field value matches with bill's custom fields or Check if customer's transaction level custom field value includes the given value Example Expression : currentTxn.customFieldValueIncludes(",
      ),
      m('basketIncludesRegexCategory', 'boolean', ['value'], 'string', ''),
      m('basketQty', 'number', ['attributeName', 'attributeValue'], 'string', ''),
    ],
  },

  currentLineItem: {
    attributes: [
      a('code', 'string', 'Item code of the line-item as assigned in the inventory'),
      a('description', 'string', 'The description specified for the of the line-item in the inventory'),
      a(
        'discountPercentage',
        'number',
        'lineitem discount % = (discount/amount * 100) Meaning: Discount value needs to be passed in api request payloadThe description specified for the line-item in the inventory, passed in the payloads.',
      ),
      a('qty', 'number', 'Quantity of a line-item purchased'),
      a('rate', 'number', 'Actual price of a line-item'),
      a('value', 'number', 'Selling price of a line-item'),
      a('discount', 'number', 'Discount on the line item, e.g. currentLineItem.discount!=0.'),
    ],
    methods: [m('doesItemMatch', 'boolean', ['attribute', 'value'], 'string', 'Check if an item code matches with the given code')],
  },

  currentEvent: {
    attributes: [
      a('eventType', 'string', 'Name of the event'),
      a('previousMobile', 'string', "Customer's mobile number before updating"),
      a('previousEmail', 'string', "Customer's email ID before updating"),
      a('previousExternalID', 'string', "Customer's external ID before updating"),
      a('previousName', 'string', "Customer's full name before updating"),
      a('previousFirstName', 'string', "Customer's first name before updating"),
      a('previousLastName', 'string', "Customer's last name before updating"),
      a('currentMobile', 'string', "Customer's mobile number after updating"),
      a('currentEmail', 'string', "Customer's email id after updating"),
      a('currentExternalID', 'string', "Customer's external id after updating"),
      a('currentName', 'string', "Customer's first name after updating"),
      a('currentFirstName', 'string', "Customer's first name after updating"),
      a('currentLastName', 'string', "Customer's last name after updating"),
      a(
        'previousLoyaltyType',
        'string',
        'Checks the loyalty status of the customer before the current event. Supported only for CustomerUpdate event',
      ),
      a('currentLoyaltyType', 'string', 'Checks the current loyalty status of the customer. Supported only for CustomerUpdate event'),
      a(
        'targetGroup',
        'string',
        'Returns the name of the target group for which the current event is being executed. This is used to target customers in different groups.',
      ),
      a(
        'targetPeriod',
        'string',
        'Returns the name of the target period for which the current event is being executed. This is used to target customers across different groups.',
      ),
      a(
        'isTargetAchievedEvent',
        'boolean',
        'Verifies whether a customer has completed the allotted target before the target period ends. Applicable only to Target period elapses event.',
      ),
      a(
        'isUnifiedTargetAchievedEvent',
        'boolean',
        'Verifies whether the event that arrived to loyalty promotions is a unified target achieved event. Applicable only for target-period elapsed event',
      ),
      a(
        'isStreakAchievedEvent',
        'boolean',
        'Verifies whether the event that arrived at loyalty promotions is a streak-level achieved event. Applicable only for target-period elapsed event',
      ),
      a(
        'isSubTargetAchievedEvent',
        'boolean',
        'Verifies whether the event that arrived at loyalty promotions is a sub-target achievement by a user. Applicable only for target-periods elapsed event',
      ),
      a('targetName', 'string', ''),
      a('targetMilestoneTrigger', 'string', ''),
    ],
    methods: [
      m('previousCustomFieldValue', 'boolean', ['customFieldName', 'fieldValue'], 'string', 'Value of custom field before updating'),
      m('currentCustomFieldValue', 'boolean', ['customFieldName', 'fieldValue'], 'string', 'Value of custom field after updating'),
      m(
        'targetAchieved',
        'number',
        ['targetName'],
        'string',
        'Provides the numeric value of the actual achievement of the customer for the given target.',
      ),
      m(
        'targetDefined',
        'number',
        ['targetName'],
        'string',
        'Provides the numeric value of the target set by the marketing/org user for that customer.',
      ),
      m(
        'targetExists',
        'boolean',
        ['targetName'],
        'string',
        'Checks if a target value exists or set by the marketing user for that customer.',
      ),
      m('streakName', 'boolean', ['value'], 'string', ''),
      m('streakExists', 'boolean', ['value'], 'string', ''),
    ],
  },

  currentStore: {
    attributes: [a('code', 'string', 'Unique code of the store'), a('name', 'string', 'Name of the store')],
    methods: [],
  },

  currentTrackerCondition: {
    attributes: [
      a('numberOfVisits', 'number', 'returns number of visits tracked by current tracker. works only for customer visit tracker.'),
      a('trackedValue', 'number', 'returns tracked value in the tracker for current event.'),
      a('trackerConditionName', 'string', 'returns current tracker condition name'),
      a('trackerConditionPeriod', 'number', 'returns tracking period value'),
      a('trackerCurrAggr', 'number', 'returns aggregate tracked value in current tracking period for all events including current event'),
      a(
        'trackerInitialPrevAggr',
        'number',
        'returns aggregate tracked value in current tracking period for all events excluding current event',
      ),
      a('trackerName', 'string', 'returns tracker name'),
      a('trackerPrevAggr', 'number', 'returns aggregate tracked value in current tracking period for all events excluding current event'),
    ],
    methods: [],
  },

  tenderProfile: {
    attributes: [
      a('amount', 'number', 'The amount paid for a transaction using the payment mode'),
      a('code', 'string', 'Returns code or name of the combination created in loyalty for the payment mode'),
      a('notes', 'string', 'Returns notes described for the tender'),
    ],
    methods: [],
  },

  returnBill: {
    attributes: [
      a('basketSize', 'number', 'Total number of items in the bill - irrespective of quantity of each item'),
      a('date', 'date', 'Date of transaction'),
      a('discount', 'number', 'Discount availed for a transaction'),
      a('notes', 'string', 'Transaction level notes specified by the cashier during transaction'),
      a('number', 'string', 'Transaction number of the current transaction'),
      a('points', 'number', 'Total points issued for a transaction'),
      a('totalQty', 'number', 'Date of transaction'),
    ],
    methods: [
      m(
        'basketCount',
        'number',
        ['value'],
        'string',
        'Number of products in the transaction of the given inventory type - irrespective of quantity',
      ),
      m(
        'basketCountRegex',
        'number',
        ['attribute', 'value'],
        'string',
        'Number of products whose item attribute matches the given regular expression',
      ),
      m(
        'basketCountRegexBrand',
        'number',
        ['attribute', 'value'],
        'string',
        'Number of products whose brand name matches the given regular expression',
      ),
      m(
        'basketCountRegexCategory',
        'number',
        ['attribute', 'value'],
        'string',
        'Number of products whose category name matches the given regular expression',
      ),
      m('basketExcludes', 'boolean', ['attribute', 'value'], 'string', 'Products not contained in the transaction'),
      m('basketIncludes', 'boolean', ['attribute', 'value'], 'string', 'Products contained in the transaction'),
      m(
        'basketExcludesRegex',
        'boolean',
        ['attribute', 'value'],
        'string',
        'To check if the transaction includes products whose item attribute does not match the given regular expression',
      ),
      m(
        'basketIncludesRegex',
        'boolean',
        ['attribute', 'value'],
        'string',
        'To check if the transaction includes products whose item attribute matches the given regular expression',
      ),
      m(
        'basketIncludesRegexBrand',
        'boolean',
        ['brandRegex'],
        'string',
        'To check whether the transaction contains items of a specific brand',
      ),
      m(
        'basketIncludesRegexCategory',
        'boolean',
        ['categoryRegex'],
        'string',
        'To check whether the transaction contains items of a specific category',
      ),
      m('basketQty', 'number', ['attributeName', 'attributeValue'], 'string', 'To check number of items in a transaction'),
      m('basketQtyRegex', 'number', ['value'], 'string', 'Quantity of items in the bill matching the regular expression'),
      m(
        'basketQtyRegexBrand',
        'number',
        ['attribute', 'value'],
        'string',
        'Number of quantities of a specific item whose brand name matches the given regular expression',
      ),
      m(
        'basketQtyRegexCategory',
        'number',
        ['attribute', 'value'],
        'string',
        'Number of quantities of a specific item whose category name matches the given regular expression',
      ),
      m('basketSum', 'number', ['attribute', 'value'], 'string', 'Sum of value of the items matching the inventory attribute'),
      m('basketSumRegex', 'number', ['value'], 'string', 'Sum of value of the items matching the inventory attribute - regular expression'),
      m('customFieldValueExcludes', 'boolean', ['attribute', 'value'], 'string', 'Transaction custom field excludes the given value'),
      m(
        'customFieldValueIncludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        "Check if customer's transaction level custom field value includes the given value",
      ),
    ],
  },

  currentCustomerPartner: {
    attributes: [
      a('additionalBenefitsInMembershipCycle', 'number', 'Additional benefits available during the membership life cycle'),
      a('benefitsAvailedInActiveMembership', 'number', 'Benefits that are available with the active membership'),
      a('benefitsAvailedInEventCycle', 'number', 'Benefits available during the event cycle'),
      a('benefitsLimit', 'number', 'The maximum or minimum limit of benefit that can be availed'),
      a('countBillsCurrentCycle', 'number', 'Calculate the number of bills generated during the current cycle'),
      a('countPromotionPointsIssuedCurrentCycle', 'number', 'Calculate the number of points issued during the current cycle'),
      a('daysElapsedInCurrentCycle', 'number', 'Number of days elasped in current cycle for customer partner'),
      a('isLinkedOnSpecificDate', 'boolean', 'Checks if the current cutomer partner is linked on a specific date or not.'),
      a('isLinkedTo', 'boolean', 'Checks if the current cutomer partner is linked to a loyalty program or not'),
      a('sumPurchaseValueCurrentCycle', 'number', 'Sum of all purchase value during current cycle'),
    ],
    methods: [],
  },

  groupPrimaryCustomer: {
    attributes: [
      a(
        'avgBasketSize',
        'number',
        'Lets you evaluate conditions on the average basket size of the primary customer. (The ratio of the total quantities of line items purchased to the total number of transactions made).',
      ),
      a(
        'avgSpendPerVisit',
        'number',
        'Lets you evaluate conditions on the average spend per visit by the primary customer. (Total purchases amount)/ (Total number of transactions made).',
      ),
      a('currentAllPoints', 'number', ''),
      a(
        'currentNonRedeemablePoints',
        'number',
        'Lets you evaluate conditions on the current points that are not redeemable by the primary customer.',
      ),
      a('currentPoints', 'number', 'Lets you evaluate conditions on the active points of the primary customer.'),
      a('doesProfileExists', 'boolean', "Lets you evaluate conditions on the availability of the primary member's profile/account."),
      a('email', 'string', 'Lets you evaluate conditions on email of the primary customer.'),
      a('externalId', 'string', 'Lets you evaluate conditions on the external ID values of the primary member.'),
      a('firstname', 'string', 'Lets you evaluate conditions on the first name of the primary customer.'),
      a('hasInstoreProfile', 'boolean', "Lets you evaluate conditions based on the primary customer's Instore profile."),
      a('hasWeChatProfile', 'boolean', "Lets you evaluate conditions based on the primary customer's WeChat profile."),
      a('initialCurrentAllPoints', 'number', ''),
      a('initialCurrentPoints', 'number', ''),
      a('initialLifetimePoints', 'number', ''),
      a('initialLifetimePurchase', 'number', ''),
      a('initialSlabName', 'string', ''),
      a('initialSlabNumber', 'number', ''),
      a('isControl', 'boolean', ''),
      a('isGroupMember', 'boolean', ''),
      a('isLoyal', 'boolean', ''),
      a('isPrimary', 'boolean', ''),
      a('isSecondary', 'boolean', ''),
      a('isTest', 'boolean', ''),
      a('joinDate', 'date', 'Lets you evaluate conditions based on the registration date of the primary customer.'),
      a('lastname', 'string', 'Lets you evaluate conditions based on the last name of the primary customer.'),
      a('lifetimeAllPoints', 'number', ''),
      a('lifetimeNonRedeemablePoints', 'number', ''),
      a('lifetimePoints', 'number', 'Lets you evaluate conditions on lifetime points of the primary customer.'),
      a('lifetimePurchase', 'number', 'Lets you evaluate conditions on lifetime purchases of the primary customer.'),
      a('mobile', 'string', 'Lets you evaluate conditions on the mobile number of the primary customer.'),
      a('name', 'string', 'Lets you evaluate conditions based on the name of the primary customer.'),
      a(
        'numberOfRedemptionsInCalendarMonth',
        'number',
        'Lets you evaluate conditions based on the number of times points are redeemed in the current calendar month.',
      ),
      a(
        'numberOfRedemptionsInCalendarWeek',
        'number',
        'Lets you evaluate conditions based on the number of times points are redeemed in the current calendar week. (Monday to Sunday)',
      ),
      a(
        'numberOfRedemptionsToday',
        'number',
        'Lets you evaluate conditions based on the number of times points are redeemed on the present day.',
      ),
      a('numberOfTxns', 'number', 'Lets you evaluate conditions on the total number of transactions by a primary customer.'),
      a(
        'numberOfTxnsToday',
        'number',
        'Lets you evaluate conditions on the number of transactions made by the primary customer on the current day.',
      ),
      a('numberOfVisits', 'number', 'Lets you evaluate conditions on the number of visit primary customer.'),
      a(
        'pointsRedeemedInCalendarMonth',
        'number',
        'Lets you evaluate conditions on points redeemable by a primary customer in the calendar month.',
      ),
      a(
        'pointsRedeemedInCalendarWeek',
        'number',
        'Lets you evaluate conditions on points redeemable by a primary customer in the current calendar week.',
      ),
      a('pointsRedeemedToday', 'number', 'Lets you evaluate conditions on points redeemable by a primary customer on the present day.'),
      a('slabChangeDate', 'date', 'Lets you evaluate conditions based on the tier change date by the primary customer.'),
      a('slabExpiryDate', 'date', 'Lets you evaluate conditions based on the tier expiry date of the primary customer.'),
      a('slabName', 'string', 'Lets you evaluate conditions on the tier name of a primary customer.'),
      a('slabNumber', 'number', 'Lets you evaluate conditions on the tier number of the primary customer.'),
    ],
    methods: [
      m('clusterValueExcludes', 'boolean', ['value'], 'string', ''),
      m('clusterValueIncludes', 'boolean', ['attribute', 'value'], 'string', ''),
      m(
        'countActiveCouponsInCouponSeries',
        'number',
        ['value'],
        'string',
        'Lets you evaluate conditions on the count of active coupons of the primary customer.',
      ),
      m(
        'customFieldValueExcludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        'Lets you evaluate conditions on a custom field value of the customer. (Any value other than the value you mention here).',
      ),
      m(
        'customFieldValueExists',
        'boolean',
        ['value'],
        'string',
        'Lets you evaluate conditions on a custom field value of the primary member ( if a specific custom field value exists for the member).',
      ),
      m(
        'customFieldValueIncludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        'Lets you evaluate conditions on a custom field value of the primary member (if a specific custom field value exists for the member).',
      ),
      m('includesLabelRegex', 'boolean', ['value'], 'string', ''),
      m('isRegisteredOn', 'boolean', ['value'], 'string', ''),
      m(
        'numberOfRedemptionsInPastDays',
        'number',
        ['value'],
        'number',
        'Lets you evaluate conditions based on the number of times points are redeemed in the last x days.',
      ),
      m(
        'pointsRedeemedInPastDays',
        'number',
        ['value'],
        'number',
        'Lets you evaluate conditions on points redeemable by a primary customer in the last x days.',
      ),
    ],
  },

  referrerCode: {
    attributes: [
      a('refereeRegCount', 'number', 'Total number of registered referee'),
      a('refereeTxnCount', 'number', 'Number of transactions done by the referee'),
    ],
    methods: [],
  },

  currentCard: {
    attributes: [],
    methods: [
      m(
        'customFieldValueIncludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        'Checks if a card custom field contains a specific value.',
      ),
      m(
        'customFieldValueExcludes',
        'boolean',
        ['attribute', 'value'],
        'string',
        'Checks if a card custom field does not contain a specific value.',
      ),
    ],
  },

  currentUserGroup: {
    attributes: [
      a('slabName', 'string', 'Use the slabName attribute to track the current loyalty tier name of the group.'),
      a(
        'initialSlabName',
        'string',
        'Use the initialSlabName attribute to check the loyalty tier name of the group before the current event.',
      ),
      a('slabNumber', 'number', 'Use the slabNumber attribute to track the current tier number of the group.'),
      a(
        'initialSlabNumber',
        'number',
        'Use the initialSlabNumber attribute to check the tier number of the group before the current event.',
      ),
      a('slabChangeDate', 'date', "Use the slabChangeDate attribute to track the date when the group's tier last changed."),
      a('slabExpiryDate', 'date', "Use the slabExpiryDate attribute to track when the group's current tier expires."),
      a(
        'name',
        'string',
        "Use the name attribute to check the user group's name. This allows you to target specific groups based on their name or check if the name contains certain substrings.",
      ),
      a(
        'externalId',
        'string',
        "Use the externalId attribute to check the user group's external identifier. This is useful for targeting user groups based on their external system identifiers.",
      ),
      a(
        'createdDate',
        'date',
        'Use the createdDate attribute to check when the user group was created. This is useful for targeting groups based on their creation timeline or age.',
      ),
      a('memberCount', 'number', ''),
      a('currentPoints', 'number', "Use the currentPoints attribute to check the group's current redeemable points."),
      a(
        'initialCurrentPoints',
        'number',
        "Use the initialCurrentPoints attribute to check the group's redeemable points before the current event.",
      ),
      a(
        'currentAllPoints',
        'number',
        'Use the currentAllPoints attribute to check the total redeemable and promised points currently held by the group.',
      ),
      a(
        'initialCurrentAllPoints',
        'number',
        'Use the initialCurrentAllPoints attribute to check the sum of redeemable and promised points before the current event.',
      ),
      a(
        'currentNonRedeemablePoints',
        'number',
        'Use the currentNonRedeemablePoints attribute to check the non-redeemable points currently held by the group.',
      ),
      a(
        'lifetimePoints',
        'number',
        'Use the lifetimePoints attribute to check the total redeemable points earned by the group since creation.',
      ),
      a(
        'lifetimeAllPoints',
        'number',
        'Use the lifetimeAllPoints attribute to check the sum of lifetime redeemable and non-redeemable points.',
      ),
      a(
        'lifetimeNonRedeemablePoints',
        'number',
        'Use the lifetimeNonRedeemablePoints attribute to check the total non-redeemable points earned by the group since creation.',
      ),
      a(
        'initialLifetimePoints',
        'number',
        "Use the initialLifetimePoints attribute to check the group's lifetime redeemable points before the current event.",
      ),
      a(
        'numberOfTxns',
        'number',
        'Use the numberOfTxns attribute to check the total number of transactions made by the group since creation.',
      ),
      a(
        'numberOfTxnsToday',
        'number',
        'Use the numberOfTxnsToday attribute to check the number of transactions made by the group on the current day.',
      ),
      a(
        'numberOfVisits',
        'number',
        'Use the numberOfVisits attribute to check the number of unique days on which the group made transactions.',
      ),
      a(
        'lifetimePurchase',
        'number',
        'Use the lifetimePurchase attribute to check the total value of purchases made by the group since creation.',
      ),
      a(
        'initialLifetimePurchase',
        'number',
        'Use the initialLifetimePurchase attribute to check the total value of purchases made by the group before the current transaction.',
      ),
    ],
    methods: [],
  },
};

const PROFILE_META: Record<string, { treeType: string; description: string }> = {
  currentCustomer: {
    treeType: 'customer:object:primitive',
    description: 'Customer profile: the properties of the customer who is currently performing the activity.',
  },
  currentTxn: {
    treeType: 'tx:object:primitive',
    description:
      'Transaction profile: the properties of the transaction in transaction-related events (net amount, basket, custom fields, ...).',
  },
  currentLineItem: {
    treeType: 'tx.item:object:primitive',
    description:
      'Line item profile: the properties of the individual items of the current transaction (works only with line-item unrolling).',
  },
  currentEvent: {
    treeType: 'customer.targetCompletedEvent:object:primitive',
    description: 'Event profile: the properties of the customer activity the rule is evaluated for; they differ across activities.',
  },
  currentStore: { treeType: 'store:object:primitive', description: 'Store profile: store-level details (code, name).' },
  currentTrackerCondition: {
    treeType: 'tracker:object:primitive',
    description: 'Tracker profile: inside the tracker set, the properties of that particular tracker case.',
  },
  tenderProfile: {
    treeType: 'tx.tender:object:primitive',
    description: 'Payment method profile: conditions on the payment modes used (works only with payment-method unrolling).',
  },
  returnBill: {
    treeType: 'tx.return:object:primitive',
    description: 'Return bill profile: details of the returned bill of the current transaction.',
  },
  currentCustomerPartner: {
    treeType: 'customer.partner:object:primitive',
    description: "Customer partner profile: the customer partner's profile and membership details.",
  },
  groupPrimaryCustomer: {
    treeType: 'customer.groupPrimary:object:primitive',
    description: 'Group primary customer profile: rules on the primary customer of a user group.',
  },
  referrerCode: { treeType: 'referrerCode:object:primitive', description: 'Referrer code profile: rules on the referrer code details.' },
  currentCard: {
    treeType: 'card:object:primitive',
    description: 'Card profile: conditions on the properties of cards (transaction add and update activities only).',
  },
  currentUserGroup: {
    treeType: 'userGroup:object:primitive',
    description: 'User group profile: the properties of the user group involved in the activity.',
  },
};

// doesItemMatch is the one method whose argument types are documented (cart-promotion page).
const ITEM_MATCH_ARG_TYPES = [
  'EEnum__InvAttr:enum:string:object:primitive',
  'EEnum__InvAttr__EDepEnum__InvAttrVal__{0}:string:object:primitive',
];

export const PROFILES: readonly ProfileInfo[] = Object.entries(PROFILE_DATA).map(([name, data]) => {
  const meta = PROFILE_META[name] ?? { treeType: `${name}:object:primitive`, description: '' };
  return {
    name,
    ...meta,
    attributes: data.attributes,
    methods: data.methods.map((method) => (method.name === 'doesItemMatch' ? { ...method, argTreeTypes: ITEM_MATCH_ARG_TYPES } : method)),
  };
});

const BY_NAME = new Map(PROFILES.map((p) => [p.name, p]));

export function findProfile(name: string): ProfileInfo | undefined {
  return BY_NAME.get(name);
}

function byName<T extends { name: string }>(list: readonly T[], name: string): T | undefined {
  return list.find((x) => x.name === name);
}

export function findAttribute(profile: ProfileInfo, name: string): AttributeInfo | undefined {
  return byName(profile.attributes, name);
}

export function findProfileMethod(profile: ProfileInfo, name: string): MethodInfo | undefined {
  return byName(profile.methods, name);
}

export function findTypeMethod(type: ValueType, name: string): MethodInfo | undefined {
  return byName(TYPE_METHODS[type], name);
}

/** `name(param: type, ...): returns` — how completion and hover show a method. */
export function methodSignature(method: MethodInfo): string {
  return `${method.name}(${method.params.map((p) => `${p.name}: ${p.type}`).join(', ')}): ${method.returns}`;
}

/** Live events over WebSocket (the graphql-ws protocol), fed from the socket tier's fanout. */
export const subscriptionTypeDefs = /* GraphQL */ `
  type Subscription {
    "New messages in the caller's conversations (in one of them, with conversationId)."
    messageAdded(conversationId: ID): Message!
    "Someone starts or stops typing in one of the caller's conversations."
    typing(conversationId: ID): TypingEvent!
    "Delivered and read receipts in the caller's conversations."
    receipts(conversationId: ID): Receipt!
    "These users coming online or going offline (at most 100)."
    presence(userIds: [ID!]!): PresenceEvent!
    "The caller's new notifications."
    notificationAdded: Notification!
  }

  type TypingEvent {
    conversationId: ID!
    userId: ID!
    user: User
    on: Boolean!
  }

  enum ReceiptStatus {
    DELIVERED
    READ
  }

  type Receipt {
    messageId: ID!
    conversationId: ID!
    seq: Int!
    "Who received or read it."
    userId: ID!
    status: ReceiptStatus!
  }

  type PresenceEvent {
    userId: ID!
    online: Boolean!
  }
`;

import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength } from 'class-validator';
import {
  EVENT_CONTEXT,
  WEBHOOK_LIMITS,
  type WebhookAttemptView,
  type WebhookRegisteredResult,
  type WebhookView,
} from '@accord/contracts';

const EVENT_TYPES = Object.keys(EVENT_CONTEXT);
/** The longest event type name: the bound of each entry of `eventTypes`. */
const EVENT_TYPE_MAX = 64;

export class RegisterWebhookDto {
  @ApiProperty({
    maxLength: WEBHOOK_LIMITS.url,
    example: 'https://hooks.example.com/accord',
    description:
      'Where deliveries are POSTed: https only (http to a loopback host in the embedded profile); no credentials, no ' +
      'fragment, no private or link-local address',
  })
  @IsString()
  @MaxLength(WEBHOOK_LIMITS.url)
  readonly url!: string;

  @ApiProperty({
    type: [String],
    enum: EVENT_TYPES,
    minItems: 1,
    maxItems: WEBHOOK_LIMITS.eventTypes,
    maxLength: EVENT_TYPE_MAX,
    example: ['MemberJoined', 'MemberRemoved'],
    description: 'The event types to receive (docs/events.md), each once',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_LIMITS.eventTypes)
  @IsString({ each: true })
  // Whether each is a known event type is the decider's rule (a 400 naming `eventTypes` too).
  @MaxLength(EVENT_TYPE_MAX, { each: true })
  readonly eventTypes!: string[];
}

export class WebhookViewDoc implements WebhookView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly url!: string;
  @ApiProperty({ type: [String] }) readonly eventTypes!: readonly string[];
  @ApiProperty({
    enum: ['active', 'disabled'],
    description: 'disabled: every attempt of a delivery failed for 24 hours; nothing more is sent to it',
  })
  readonly status!: 'active' | 'disabled';
  @ApiProperty({ description: '`whsec_` and the first 4 characters of the signing secret (never the secret)' })
  readonly secretPrefix!: string;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readonly disabledAt!: string | null;
}

export class WebhookRegisteredDoc extends WebhookViewDoc implements WebhookRegisteredResult {
  @ApiProperty({
    description:
      'The Standard Webhooks signing secret (`whsec_<base64>`): shown this once, never again. Verify each delivery ' +
      'with it: `webhook-signature` is `v1,` and the base64 HMAC-SHA256, keyed with the base64-decoded part of the ' +
      'secret, of `{webhook-id}.{webhook-timestamp}.{body}`',
  })
  readonly secret!: string;
  @ApiProperty() readonly position!: number;
}

export class WebhookAttemptDoc implements WebhookAttemptView {
  @ApiProperty({ format: 'uuid' }) readonly deliveryId!: string;
  @ApiProperty({ format: 'uuid', description: 'The delivered event’s id: the `webhook-id` header' })
  readonly eventId!: string;
  @ApiProperty({ description: 'An Accord event type, or `webhook.test` for a test call' })
  readonly eventType!: string;
  @ApiProperty({ minimum: 1, description: '1 for the first attempt of this delivery' }) readonly attempt!: number;
  @ApiProperty({ format: 'date-time' }) readonly attemptedAt!: string;
  @ApiProperty({ enum: ['delivered', 'failed'], description: 'delivered: the receiver answered 2xx' })
  readonly outcome!: 'delivered' | 'failed';
  @ApiProperty({ type: Number, nullable: true, description: 'The receiver’s HTTP status; null when none came' })
  readonly statusCode!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: WEBHOOK_LIMITS.responseExcerpt,
    description: 'The start of the receiver’s response body',
  })
  readonly response!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why no answer came (`timeout`, `ECONNREFUSED`, …)',
  })
  readonly error!: string | null;
  @ApiProperty() readonly durationMs!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'When this delivery is tried next (on its newest attempt while it is retried); else null',
  })
  readonly nextAttemptAt!: string | null;
}

"""Invitations keep the invitee's address encrypted, with a keyed hash beside it; audit
rows stop carrying the actor's email (and lose the ones they had)."""

import encrypted_fields.fields
from django.db import migrations, models


def encrypt_addresses(apps, schema_editor):
    from lib.crypto import lookup_hash

    Invitation = apps.get_model("committees", "Invitation")
    for invitation in Invitation.objects.only("pk", "plain_email").iterator():
        email = (invitation.plain_email or "").strip().lower()
        Invitation.objects.filter(pk=invitation.pk).update(
            email=email, email_hash=lookup_hash(email)
        )


def decrypt_addresses(apps, schema_editor):
    Invitation = apps.get_model("committees", "Invitation")
    for invitation in Invitation.objects.only("pk", "email").iterator():
        Invitation.objects.filter(pk=invitation.pk).update(plain_email=invitation.email or "")


def forget_actor_emails(apps, schema_editor):
    LogEntry = apps.get_model("auditlog", "LogEntry")
    LogEntry.objects.exclude(actor_email=None).update(actor_email=None)


def scrub_invitation_audit(apps, schema_editor):
    """Earlier audit rows of invitations hold the address in their changes and title."""
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="committees", model="invitation").first()
    if content_type is None:
        return
    for entry in LogEntry.objects.filter(content_type=content_type).iterator():
        changes = entry.changes if isinstance(entry.changes, dict) else None
        if changes and "email" in changes:
            changes["email"] = ["***" if v not in (None, "None") else v for v in changes["email"]]
        LogEntry.objects.filter(pk=entry.pk).update(
            changes=changes if changes is not None else entry.changes,
            changes_text="",
            object_repr=f"invitation #{entry.object_pk}",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0003_membership_status_index"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameField("invitation", "email", "plain_email"),
        migrations.AddField(
            model_name="invitation",
            name="email",
            field=encrypted_fields.fields.EncryptedEmailField(
                max_length=254, null=True, verbose_name="email"
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="email_hash",
            field=models.CharField(db_index=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(encrypt_addresses, decrypt_addresses),
        migrations.RemoveField("invitation", "plain_email"),
        migrations.RunPython(forget_actor_emails, migrations.RunPython.noop),
        migrations.RunPython(scrub_invitation_audit, migrations.RunPython.noop),
    ]

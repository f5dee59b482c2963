/**
 * The follow-up texts of each built-in language: the survey and reminder messages (email and
 * short), and the pages of the one-click survey. Placeholders: {{greeting}}, {{reference}},
 * {{scores}} (the five score links, a paragraph of its own), {{link}} (the survey page),
 * {{closing}} (the reminder's "we will close on…" sentence, empty when nothing closes),
 * {{closeAt}}, {{score}}.
 */
export interface FollowUpTexts {
  readonly surveySubject: string;
  readonly surveyText: string;
  readonly surveyShort: string;
  readonly reminderSubject: string;
  readonly reminderText: string;
  readonly reminderShort: string;
  readonly reminderClosing: string;
  /** Score 1 to 5. */
  readonly scoreLabels: readonly [string, string, string, string, string];
  readonly pageTitle: string;
  readonly pageQuestion: string;
  readonly pageThanks: string;
  /** The score link's page: the score chosen, to be sent with one more tap (mail scanners never send it). */
  readonly pageConfirm: string;
  readonly answerSend: string;
  /** This survey has taken all the answers it takes (the last one counts). */
  readonly answerLimit: string;
  /** The link was used too often in an hour. */
  readonly tooMany: string;
  readonly commentLabel: string;
  readonly commentSend: string;
  readonly commentThanks: string;
  readonly invalidLink: string;
  readonly expiredLink: string;
}

export const FOLLOW_UP_TEXTS: Readonly<Record<string, FollowUpTexts>> = {
  en: {
    surveySubject: 'How did we do? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nWe marked your request {{reference}} as solved. How satisfied are you with our help? One click is enough:\n\n{{scores}}\n\nIf something is still not right, just reply to this message and we will pick it up again.',
    surveyShort: 'How did we do with your request {{reference}}? Rate us from 1 to 5: {{link}}',
    reminderSubject: 'We are waiting for your reply [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nWe are still waiting for your reply on your request {{reference}} so that we can help you further. Just reply to this message.\n\n{{closing}}',
    reminderShort:
      'We are still waiting for your reply on your request {{reference}}. Just answer here. {{closing}}',
    reminderClosing: 'If we do not hear from you, we will close the request on {{closeAt}}.',
    scoreLabels: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
    pageTitle: 'Your feedback',
    pageQuestion: 'How satisfied are you with our help on your request {{reference}}?',
    pageThanks: 'Thank you! We recorded your score: {{score}} of 5.',
    pageConfirm: 'Please confirm your score for your request {{reference}}. You can still change it.',
    answerSend: 'Send my answer',
    answerLimit: 'Thank you, we already have your answer: the last one you sent counts.',
    tooMany: 'This link was used too often. Please try again in an hour.',
    commentLabel: 'Anything you would like to tell us? (optional)',
    commentSend: 'Send',
    commentThanks: 'Thank you, we have your comment.',
    invalidLink: 'This link is not valid. Please use the link from our message exactly as it was sent.',
    expiredLink: 'This survey link has expired. Thank you all the same!',
  },
  ja: {
    surveySubject: 'サポートはいかがでしたか [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nお問い合わせ {{reference}} を解決済みとしました。今回の対応にどの程度ご満足いただけましたか。ワンクリックでご回答いただけます。\n\n{{scores}}\n\nまだ解決していない点がございましたら、このメッセージにご返信ください。改めて対応いたします。',
    surveyShort: 'お問い合わせ {{reference}} の対応はいかがでしたか。1〜5で評価してください：{{link}}',
    reminderSubject: 'ご返信をお待ちしております [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nお問い合わせ {{reference}} について、引き続きご返信をお待ちしております。このメッセージにご返信いただければ、対応を続けます。\n\n{{closing}}',
    reminderShort:
      'お問い合わせ {{reference}} へのご返信をお待ちしております。こちらにご返信ください。{{closing}}',
    reminderClosing: 'ご返信がない場合、{{closeAt}}にお問い合わせを終了いたします。',
    scoreLabels: ['とても不満', '不満', '普通', '満足', 'とても満足'],
    pageTitle: 'ご意見',
    pageQuestion: 'お問い合わせ {{reference}} の対応にどの程度ご満足いただけましたか。',
    pageThanks: 'ありがとうございました。評価 {{score}}（5段階）を承りました。',
    pageConfirm: 'お問い合わせ {{reference}} の評価をご確認ください。ここで変更することもできます。',
    answerSend: '回答を送信',
    answerLimit: 'ご回答はすでに承っております。最後にお送りいただいた回答が有効です。',
    tooMany: 'このリンクへのアクセスが多すぎます。1時間後にもう一度お試しください。',
    commentLabel: 'ご意見がございましたらお聞かせください（任意）',
    commentSend: '送信',
    commentThanks: 'ありがとうございました。ご意見を承りました。',
    invalidLink: 'このリンクは無効です。メッセージに記載されたリンクをそのままご利用ください。',
    expiredLink: 'このアンケートのリンクは有効期限が切れています。ご協力ありがとうございました。',
  },
  ko: {
    surveySubject: '상담은 만족스러우셨나요? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\n문의 {{reference}}를 해결됨으로 처리했습니다. 저희 도움에 얼마나 만족하셨나요? 한 번의 클릭으로 답해 주실 수 있습니다.\n\n{{scores}}\n\n아직 해결되지 않은 부분이 있다면 이 메시지에 회신해 주세요. 다시 도와드리겠습니다.',
    surveyShort: '문의 {{reference}}에 대한 상담은 어떠셨나요? 1~5점으로 평가해 주세요: {{link}}',
    reminderSubject: '회신을 기다리고 있습니다 [{{reference}}]',
    reminderText:
      '{{greeting}}\n\n문의 {{reference}}에 대한 회신을 아직 기다리고 있습니다. 이 메시지에 회신해 주시면 계속 도와드리겠습니다.\n\n{{closing}}',
    reminderShort: '문의 {{reference}}에 대한 회신을 기다리고 있습니다. 여기에 답해 주세요. {{closing}}',
    reminderClosing: '회신이 없으면 {{closeAt}}에 문의를 종료합니다.',
    scoreLabels: ['매우 불만족', '불만족', '보통', '만족', '매우 만족'],
    pageTitle: '의견',
    pageQuestion: '문의 {{reference}}에 대한 저희 도움에 얼마나 만족하셨나요?',
    pageThanks: '감사합니다! 점수 {{score}}/5점을 기록했습니다.',
    pageConfirm: '문의 {{reference}}에 대한 점수를 확인해 주세요. 여기에서 바꿀 수도 있습니다.',
    answerSend: '답변 보내기',
    answerLimit: '이미 답변을 받았습니다. 마지막으로 보내 주신 답변이 반영됩니다.',
    tooMany: '이 링크가 너무 자주 사용되었습니다. 한 시간 뒤에 다시 시도해 주세요.',
    commentLabel: '더 하실 말씀이 있으신가요? (선택)',
    commentSend: '보내기',
    commentThanks: '감사합니다. 의견을 잘 받았습니다.',
    invalidLink: '유효하지 않은 링크입니다. 메시지에 있는 링크를 그대로 사용해 주세요.',
    expiredLink: '이 설문 링크는 만료되었습니다. 그래도 감사합니다!',
  },
  ar: {
    surveySubject: 'ما رأيك في خدمتنا؟ [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nلقد اعتبرنا طلبك {{reference}} محلولاً. ما مدى رضاك عن مساعدتنا؟ تكفي نقرة واحدة:\n\n{{scores}}\n\nإذا كان هناك ما لم يُحل بعد، فيكفي أن ترد على هذه الرسالة وسنتابع طلبك من جديد.',
    surveyShort: 'ما رأيك في خدمتنا بخصوص طلبك {{reference}}؟ قيّمنا من 1 إلى 5: {{link}}',
    reminderSubject: 'ما زلنا ننتظر ردك [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nما زلنا ننتظر ردك على طلبك {{reference}} حتى نتمكن من مساعدتك. يكفي أن ترد على هذه الرسالة.\n\n{{closing}}',
    reminderShort: 'ما زلنا ننتظر ردك على طلبك {{reference}}. يكفي أن ترد هنا. {{closing}}',
    reminderClosing: 'إذا لم يصلنا ردك، فسنغلق الطلب في {{closeAt}}.',
    scoreLabels: ['غير راضٍ إطلاقاً', 'غير راضٍ', 'محايد', 'راضٍ', 'راضٍ جداً'],
    pageTitle: 'رأيك',
    pageQuestion: 'ما مدى رضاك عن مساعدتنا في طلبك {{reference}}؟',
    pageThanks: 'شكراً لك! سجّلنا تقييمك: {{score}} من 5.',
    pageConfirm: 'يُرجى تأكيد تقييمك لطلبك {{reference}}. لا يزال بإمكانك تغييره.',
    answerSend: 'إرسال إجابتي',
    answerLimit: 'شكراً لك، لقد تلقّينا إجابتك بالفعل: آخر إجابة أرسلتها هي المعتمدة.',
    tooMany: 'استُخدم هذا الرابط مرات كثيرة. يُرجى المحاولة مرة أخرى بعد ساعة.',
    commentLabel: 'هل تود أن تخبرنا بشيء؟ (اختياري)',
    commentSend: 'إرسال',
    commentThanks: 'شكراً لك، وصلنا تعليقك.',
    invalidLink: 'هذا الرابط غير صالح. يُرجى استخدام الرابط الوارد في رسالتنا كما هو.',
    expiredLink: 'انتهت صلاحية رابط هذا الاستطلاع. شكراً لك على أي حال!',
  },
  ro: {
    surveySubject: 'Cum ne-am descurcat? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nAm marcat solicitarea dumneavoastră {{reference}} ca rezolvată. Cât de mulțumit(ă) sunteți de ajutorul nostru? Un singur clic este suficient:\n\n{{scores}}\n\nDacă ceva nu este încă în regulă, răspundeți la acest mesaj și ne vom ocupa din nou.',
    surveyShort: 'Cum ne-am descurcat cu solicitarea {{reference}}? Acordați o notă de la 1 la 5: {{link}}',
    reminderSubject: 'Așteptăm răspunsul dumneavoastră [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nAșteptăm în continuare răspunsul dumneavoastră la solicitarea {{reference}}, ca să vă putem ajuta mai departe. Răspundeți la acest mesaj.\n\n{{closing}}',
    reminderShort:
      'Așteptăm răspunsul dumneavoastră la solicitarea {{reference}}. Răspundeți aici. {{closing}}',
    reminderClosing: 'Dacă nu primim un răspuns, vom închide solicitarea pe {{closeAt}}.',
    scoreLabels: ['Foarte nemulțumit', 'Nemulțumit', 'Neutru', 'Mulțumit', 'Foarte mulțumit'],
    pageTitle: 'Părerea dumneavoastră',
    pageQuestion: 'Cât de mulțumit(ă) sunteți de ajutorul nostru cu solicitarea {{reference}}?',
    pageThanks: 'Vă mulțumim! Am înregistrat nota: {{score}} din 5.',
    pageConfirm: 'Vă rugăm să confirmați nota pentru solicitarea {{reference}}. O puteți schimba încă.',
    answerSend: 'Trimite răspunsul',
    answerLimit: 'Vă mulțumim, avem deja răspunsul dumneavoastră: contează ultimul trimis.',
    tooMany: 'Acest link a fost folosit de prea multe ori. Vă rugăm să încercați din nou peste o oră.',
    commentLabel: 'Doriți să ne spuneți ceva? (opțional)',
    commentSend: 'Trimite',
    commentThanks: 'Vă mulțumim, am primit comentariul dumneavoastră.',
    invalidLink: 'Acest link nu este valid. Folosiți linkul din mesajul nostru exact așa cum a fost trimis.',
    expiredLink: 'Linkul acestui sondaj a expirat. Vă mulțumim oricum!',
  },
  es: {
    surveySubject: '¿Qué tal lo hicimos? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nHemos marcado su solicitud {{reference}} como resuelta. ¿Qué tan satisfecho está con nuestra ayuda? Basta con un clic:\n\n{{scores}}\n\nSi algo sigue sin estar bien, simplemente responda a este mensaje y volveremos a ocuparnos.',
    surveyShort: '¿Qué tal lo hicimos con su solicitud {{reference}}? Valórenos del 1 al 5: {{link}}',
    reminderSubject: 'Estamos esperando su respuesta [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nSeguimos esperando su respuesta sobre su solicitud {{reference}} para poder seguir ayudándole. Simplemente responda a este mensaje.\n\n{{closing}}',
    reminderShort:
      'Seguimos esperando su respuesta sobre su solicitud {{reference}}. Responda aquí. {{closing}}',
    reminderClosing: 'Si no tenemos noticias suyas, cerraremos la solicitud el {{closeAt}}.',
    scoreLabels: ['Muy insatisfecho', 'Insatisfecho', 'Neutral', 'Satisfecho', 'Muy satisfecho'],
    pageTitle: 'Su opinión',
    pageQuestion: '¿Qué tan satisfecho está con nuestra ayuda en su solicitud {{reference}}?',
    pageThanks: '¡Gracias! Hemos registrado su valoración: {{score}} de 5.',
    pageConfirm: 'Confirme su valoración de la solicitud {{reference}}. Aún puede cambiarla.',
    answerSend: 'Enviar mi respuesta',
    answerLimit: 'Gracias, ya tenemos su respuesta: cuenta la última que envió.',
    tooMany: 'Este enlace se ha usado demasiadas veces. Inténtelo de nuevo dentro de una hora.',
    commentLabel: '¿Quiere contarnos algo más? (opcional)',
    commentSend: 'Enviar',
    commentThanks: 'Gracias, hemos recibido su comentario.',
    invalidLink: 'Este enlace no es válido. Use el enlace de nuestro mensaje tal como se envió.',
    expiredLink: 'El enlace de esta encuesta ha caducado. ¡Gracias de todos modos!',
  },
  fr: {
    surveySubject: 'Comment avons-nous fait ? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nNous avons marqué votre demande {{reference}} comme résolue. Dans quelle mesure êtes-vous satisfait de notre aide ? Un seul clic suffit :\n\n{{scores}}\n\nSi quelque chose ne va toujours pas, répondez simplement à ce message et nous reprendrons votre demande.',
    surveyShort: 'Comment avons-nous traité votre demande {{reference}} ? Notez-nous de 1 à 5 : {{link}}',
    reminderSubject: 'Nous attendons votre réponse [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nNous attendons toujours votre réponse concernant votre demande {{reference}} pour pouvoir vous aider. Répondez simplement à ce message.\n\n{{closing}}',
    reminderShort:
      'Nous attendons toujours votre réponse concernant votre demande {{reference}}. Répondez ici. {{closing}}',
    reminderClosing: 'Sans nouvelles de votre part, nous clôturerons la demande le {{closeAt}}.',
    scoreLabels: ['Très insatisfait', 'Insatisfait', 'Neutre', 'Satisfait', 'Très satisfait'],
    pageTitle: 'Votre avis',
    pageQuestion: 'Dans quelle mesure êtes-vous satisfait de notre aide pour votre demande {{reference}} ?',
    pageThanks: 'Merci ! Nous avons enregistré votre note : {{score}} sur 5.',
    pageConfirm:
      'Veuillez confirmer votre note pour votre demande {{reference}}. Vous pouvez encore la modifier.',
    answerSend: 'Envoyer ma réponse',
    answerLimit: "Merci, nous avons déjà votre réponse : c'est la dernière envoyée qui compte.",
    tooMany: 'Ce lien a été utilisé trop souvent. Veuillez réessayer dans une heure.',
    commentLabel: 'Souhaitez-vous nous dire quelque chose ? (facultatif)',
    commentSend: 'Envoyer',
    commentThanks: 'Merci, nous avons bien reçu votre commentaire.',
    invalidLink: "Ce lien n'est pas valide. Utilisez le lien de notre message tel qu'il a été envoyé.",
    expiredLink: 'Le lien de ce questionnaire a expiré. Merci quand même !',
  },
  de: {
    surveySubject: 'Wie zufrieden waren Sie? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nwir haben Ihre Anfrage {{reference}} als gelöst markiert. Wie zufrieden sind Sie mit unserer Hilfe? Ein Klick genügt:\n\n{{scores}}\n\nWenn noch etwas nicht stimmt, antworten Sie einfach auf diese Nachricht, und wir kümmern uns erneut darum.',
    surveyShort:
      'Wie zufrieden waren Sie mit der Bearbeitung Ihrer Anfrage {{reference}}? Bewerten Sie uns von 1 bis 5: {{link}}',
    reminderSubject: 'Wir warten auf Ihre Antwort [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nwir warten noch auf Ihre Antwort zu Ihrer Anfrage {{reference}}, damit wir Ihnen weiterhelfen können. Antworten Sie einfach auf diese Nachricht.\n\n{{closing}}',
    reminderShort:
      'Wir warten noch auf Ihre Antwort zu Ihrer Anfrage {{reference}}. Antworten Sie einfach hier. {{closing}}',
    reminderClosing: 'Wenn wir nichts von Ihnen hören, schließen wir die Anfrage am {{closeAt}}.',
    scoreLabels: ['Sehr unzufrieden', 'Unzufrieden', 'Neutral', 'Zufrieden', 'Sehr zufrieden'],
    pageTitle: 'Ihre Meinung',
    pageQuestion: 'Wie zufrieden sind Sie mit unserer Hilfe bei Ihrer Anfrage {{reference}}?',
    pageThanks: 'Vielen Dank! Wir haben Ihre Bewertung erfasst: {{score}} von 5.',
    pageConfirm:
      'Bitte bestätigen Sie Ihre Bewertung zu Ihrer Anfrage {{reference}}. Sie können sie noch ändern.',
    answerSend: 'Antwort senden',
    answerLimit: 'Vielen Dank, wir haben Ihre Antwort bereits: Es zählt die zuletzt gesendete.',
    tooMany: 'Dieser Link wurde zu oft verwendet. Bitte versuchen Sie es in einer Stunde erneut.',
    commentLabel: 'Möchten Sie uns noch etwas mitteilen? (optional)',
    commentSend: 'Senden',
    commentThanks: 'Vielen Dank, wir haben Ihren Kommentar erhalten.',
    invalidLink: 'Dieser Link ist ungültig. Bitte verwenden Sie den Link aus unserer Nachricht unverändert.',
    expiredLink: 'Der Link dieser Umfrage ist abgelaufen. Trotzdem vielen Dank!',
  },
  pt: {
    surveySubject: 'Como nos saímos? [{{reference}}]',
    surveyText:
      '{{greeting}}\n\nMarcamos a sua solicitação {{reference}} como resolvida. Quão satisfeito você está com a nossa ajuda? Basta um clique:\n\n{{scores}}\n\nSe algo ainda não estiver certo, basta responder a esta mensagem e retomaremos o atendimento.',
    surveyShort: 'Como nos saímos com a sua solicitação {{reference}}? Avalie-nos de 1 a 5: {{link}}',
    reminderSubject: 'Aguardamos a sua resposta [{{reference}}]',
    reminderText:
      '{{greeting}}\n\nAinda aguardamos a sua resposta sobre a solicitação {{reference}} para podermos continuar a ajudar. Basta responder a esta mensagem.\n\n{{closing}}',
    reminderShort:
      'Ainda aguardamos a sua resposta sobre a solicitação {{reference}}. Responda aqui. {{closing}}',
    reminderClosing: 'Se não tivermos notícias suas, encerraremos a solicitação em {{closeAt}}.',
    scoreLabels: ['Muito insatisfeito', 'Insatisfeito', 'Neutro', 'Satisfeito', 'Muito satisfeito'],
    pageTitle: 'A sua opinião',
    pageQuestion: 'Quão satisfeito você está com a nossa ajuda na solicitação {{reference}}?',
    pageThanks: 'Obrigado! Registramos a sua avaliação: {{score}} de 5.',
    pageConfirm: 'Confirme a sua avaliação do pedido {{reference}}. Ainda pode alterá-la.',
    answerSend: 'Enviar a minha resposta',
    answerLimit: 'Obrigado, já temos a sua resposta: vale a última que enviou.',
    tooMany: 'Este link foi usado vezes demais. Tente novamente daqui a uma hora.',
    commentLabel: 'Quer nos contar mais alguma coisa? (opcional)',
    commentSend: 'Enviar',
    commentThanks: 'Obrigado, recebemos o seu comentário.',
    invalidLink: 'Este link não é válido. Use o link da nossa mensagem exatamente como foi enviado.',
    expiredLink: 'O link desta pesquisa expirou. Obrigado mesmo assim!',
  },
  zh: {
    surveySubject: '您对我们的服务满意吗？[{{reference}}]',
    surveyText:
      '{{greeting}}\n\n我们已将您的请求 {{reference}} 标记为已解决。您对我们的帮助满意吗？只需点击一下：\n\n{{scores}}\n\n如果问题仍未解决，请直接回复此消息，我们会继续为您处理。',
    surveyShort: '您对请求 {{reference}} 的处理满意吗？请打 1 到 5 分：{{link}}',
    reminderSubject: '我们正在等待您的回复 [{{reference}}]',
    reminderText:
      '{{greeting}}\n\n我们仍在等待您对请求 {{reference}} 的回复，以便继续为您提供帮助。请直接回复此消息。\n\n{{closing}}',
    reminderShort: '我们仍在等待您对请求 {{reference}} 的回复，请在此回复。{{closing}}',
    reminderClosing: '如果没有收到您的回复，我们将于 {{closeAt}} 关闭该请求。',
    scoreLabels: ['非常不满意', '不满意', '一般', '满意', '非常满意'],
    pageTitle: '您的反馈',
    pageQuestion: '您对我们在请求 {{reference}} 上的帮助满意吗？',
    pageThanks: '谢谢！我们已记录您的评分：{{score}} 分（满分 5 分）。',
    pageConfirm: '请确认您对请求 {{reference}} 的评分。您仍可以修改。',
    answerSend: '提交我的回答',
    answerLimit: '谢谢，我们已收到您的回答：以您最后提交的为准。',
    tooMany: '此链接使用次数过多。请一小时后再试。',
    commentLabel: '还有什么想告诉我们的吗？（可选）',
    commentSend: '提交',
    commentThanks: '谢谢，我们已收到您的意见。',
    invalidLink: '此链接无效。请按原样使用我们消息中的链接。',
    expiredLink: '此调查链接已过期。仍然感谢您！',
  },
  'zh-Hant': {
    surveySubject: '您對我們的服務滿意嗎？[{{reference}}]',
    surveyText:
      '{{greeting}}\n\n我們已將您的請求 {{reference}} 標記為已解決。您對我們的協助滿意嗎？只需點擊一下：\n\n{{scores}}\n\n如果問題仍未解決，請直接回覆此訊息，我們會繼續為您處理。',
    surveyShort: '您對請求 {{reference}} 的處理滿意嗎？請評 1 到 5 分：{{link}}',
    reminderSubject: '我們正在等候您的回覆 [{{reference}}]',
    reminderText:
      '{{greeting}}\n\n我們仍在等候您對請求 {{reference}} 的回覆，以便繼續為您提供協助。請直接回覆此訊息。\n\n{{closing}}',
    reminderShort: '我們仍在等候您對請求 {{reference}} 的回覆，請在此回覆。{{closing}}',
    reminderClosing: '如果沒有收到您的回覆，我們將於 {{closeAt}} 關閉該請求。',
    scoreLabels: ['非常不滿意', '不滿意', '普通', '滿意', '非常滿意'],
    pageTitle: '您的意見',
    pageQuestion: '您對我們在請求 {{reference}} 上的協助滿意嗎？',
    pageThanks: '謝謝！我們已記錄您的評分：{{score}} 分（滿分 5 分）。',
    pageConfirm: '請確認您對請求 {{reference}} 的評分。您仍可以修改。',
    answerSend: '送出我的回答',
    answerLimit: '謝謝，我們已收到您的回答：以您最後送出的為準。',
    tooMany: '此連結使用次數過多。請一小時後再試。',
    commentLabel: '還有什麼想告訴我們的嗎？（選填）',
    commentSend: '送出',
    commentThanks: '謝謝，我們已收到您的意見。',
    invalidLink: '此連結無效。請依原樣使用我們訊息中的連結。',
    expiredLink: '此問卷連結已過期。仍然感謝您！',
  },
};
